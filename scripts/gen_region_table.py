#!/usr/bin/env python3
"""Generates the compiled-in region catalog (SPEC §4.3) and its test fixture.

Inputs (read at development time only; never copied into the repository):
  * Debian iso-codes: <iso-dir>/iso_3166-1.json and iso_3166-2.json (every ISO country and subdivision);
  * Shopify/worldwide region files: <shared>/data/address-metadata/shopify-worldwide/regions/*.yml
    (the primary source of rules, zone codes, names and postal prefixes);
  * google/libaddressinput countryinfo.txt: <shared>/data/address-metadata/libaddressinput/countryinfo.txt
    (used only where Shopify is silent).

Outputs (committed):
  * src/region_data.inc              - the catalog as C++ aggregate initializers (facts only);
  * tests/core/region_examples.inc   - derived test facts: Shopify's example addresses, every zone's code and
                                       name, and postcodes built from zone prefixes.

Usage:
  scripts/gen_region_table.py                 # regenerate both files
  scripts/gen_region_table.py --check         # exit 1 when a committed file differs from a fresh generation
  scripts/gen_region_table.py --report        # also print what was merged, dropped or left unresolved

Every choice made here is explained in docs/decisions-region.md.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field

try:
    import yaml
except ImportError:  # pragma: no cover - development machines have PyYAML
    sys.exit("gen_region_table.py needs PyYAML (python3 -m pip install pyyaml)")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------------------------------------
# Hand-maintained facts. Each list says where it comes from; keep them short.
# ---------------------------------------------------------------------------------------------------------

# ISO 3166-2 codes that changed after the data in Debian's iso-codes 4.15 (old full code -> current full code).
# India: ISO 3166-2 newsletter of 2023-11 (CT->CG, OR->OD, TG->TS, UT->UK). Guatemala: the departments moved
# from letters to the national two-digit numbering (GT-01 Guatemala ... GT-22 Jutiapa).
RENAMED = {
    "IN-CT": "IN-CG", "IN-OR": "IN-OD", "IN-TG": "IN-TS", "IN-UT": "IN-UK",
    "GT-GU": "GT-01", "GT-PR": "GT-02", "GT-SA": "GT-03", "GT-CM": "GT-04", "GT-ES": "GT-05",
    "GT-SR": "GT-06", "GT-SO": "GT-07", "GT-TO": "GT-08", "GT-QZ": "GT-09", "GT-SU": "GT-10",
    "GT-RE": "GT-11", "GT-SM": "GT-12", "GT-HU": "GT-13", "GT-QC": "GT-14", "GT-BV": "GT-15",
    "GT-AV": "GT-16", "GT-PE": "GT-17", "GT-IZ": "GT-18", "GT-ZA": "GT-19", "GT-CQ": "GT-20",
    "GT-JA": "GT-21", "GT-JU": "GT-22",
}

# Retired codes that iso-codes no longer lists, with the subdivision that replaced them. They stay accepted
# (old exports carry them) and resolve to the successor.
RETIRED = {
    "IN-UL": "IN-UK",   # Uttaranchal -> Uttarakhand (ISO IN-UL until 2007, then IN-UT, now IN-UK)
    "IN-DN": "IN-DH",   # Dadra and Nagar Haveli: merged into IN-DH in 2020 (Shopify still has the zone)
    "IN-DD": "IN-DH",   # Daman and Diu: merged into IN-DH in 2020 (Shopify still has the zone)
    "MX-DIF": "MX-CMX", # Distrito Federal -> Ciudad de México (2016)
}
# China's provinces had numeric ISO codes (the GB/T 2260 numbers) until 2017; Google's sub_isoids and old
# exports still use them (Shopify's HK and MO files list CN-91 and CN-92 too).
RETIRED.update({f"CN-{n}": f"CN-{a}" for n, a in (
    ("11", "BJ"), ("12", "TJ"), ("13", "HE"), ("14", "SX"), ("15", "NM"), ("21", "LN"), ("22", "JL"),
    ("23", "HL"), ("31", "SH"), ("32", "JS"), ("33", "ZJ"), ("34", "AH"), ("35", "FJ"), ("36", "JX"),
    ("37", "SD"), ("41", "HA"), ("42", "HB"), ("43", "HN"), ("44", "GD"), ("45", "GX"), ("46", "HI"),
    ("50", "CQ"), ("51", "SC"), ("52", "GZ"), ("53", "YN"), ("54", "XZ"), ("61", "SN"), ("62", "GS"),
    ("63", "QH"), ("64", "NX"), ("65", "XJ"), ("71", "TW"), ("91", "HK"), ("92", "MO"))})

# Extra subdivision code aliases seen in real exports (region, alias suffix, canonical suffix).
HAND_STATE_CODES = [
    ("AU", "AC", "ACT"),  # Brian Dunning's AU sample data writes the ACT as "AC"
    # WooCommerce's New Zealand codes (i18n/states.php), found in many shop exports
    ("NZ", "NL", "NTL"), ("NZ", "AK", "AUK"), ("NZ", "WA", "WKO"), ("NZ", "BP", "BOP"), ("NZ", "TK", "TKI"),
    ("NZ", "GI", "GIS"), ("NZ", "HB", "HKB"), ("NZ", "MW", "MWT"), ("NZ", "WE", "WGN"), ("NZ", "NS", "NSN"),
    ("NZ", "MB", "MBH"), ("NZ", "TM", "TAS"), ("NZ", "WC", "WTC"), ("NZ", "CT", "CAN"), ("NZ", "OT", "OTA"),
    ("NZ", "SL", "STL"),
]

# Alternate country names people type (besides iso-codes' common/official names and Shopify's names).
HAND_COUNTRY_NAMES = {
    "US": ["USA", "U.S", "U.S.", "U.S.A", "U.S.A.", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "KR": ["South Korea", "Korea", "Republic of Korea", "Korea, South"],
    "KP": ["North Korea", "Korea, North"],
    "SK": ["Slovakia (Slovak Republic)", "Slovak Republic"],
    "CZ": ["Czechia", "Czech Republic"],
    "RU": ["Russia"],
    "NL": ["Holland", "The Netherlands"],
    "AE": ["UAE", "U.A.E."],
    "VN": ["Vietnam"],
    "LA": ["Laos"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "MK": ["Macedonia"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CV": ["Cape Verde"],
    "SZ": ["Swaziland"],
    "TR": ["Turkey", "Turkiye"],
    "VA": ["Vatican", "Vatican City"],
    "BN": ["Brunei"],
    "FM": ["Micronesia"],
    "PS": ["Palestine"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"],
    "MM": ["Burma"],
    "TL": ["East Timor"],
    "TW": ["Taiwan"],
}

# Regions Shopify has that ISO 3166-1 does not assign (exceptionally reserved AC/TA, user-assigned XK).
NON_ISO_REGIONS = {"AC", "TA", "XK"}
# Shopify regions left out: AN (Netherlands Antilles) was dissolved in 2010 and Shopify marks it deprecated.
SKIPPED_REGIONS = {"AN"}


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------

def fold(s: str) -> str:
    """Approximates leadcustomers::fold_for_match (NFKD, strip marks, case fold, punctuation to spaces).

    Only used to detect collisions and to match names between sources here; the library folds with utf8proc
    when it builds its indexes, and a test checks the two agree (no collision appears at run time)."""
    s = unicodedata.normalize("NFKD", s)
    out = []
    for ch in s:
        cat = unicodedata.category(ch)
        if cat.startswith("M"):
            continue
        if cat.startswith("P") and ch != "&":
            out.append(" ")
        else:
            out.append(ch)
    s = "".join(out).casefold()
    return " ".join(s.split())


DESIGNATORS = {"county", "city", "province", "prefecture", "region", "state", "territory", "sheng", "shi",
               "zizhiqu", "do", "thanh", "pho", "municipality", "district", "sar"}


def loose(s: str) -> str:
    """fold() without administrative designators ("Kinmen County" ~ "Kinmen"): matching sources only."""
    return " ".join(w for w in fold(s).split() if w not in DESIGNATORS)


def normalize_zip(z: str) -> str:
    """SPEC §2.3: NFKC, upper-cased, inner white space collapsed to one space, trimmed."""
    z = unicodedata.normalize("NFKC", z).upper()
    return " ".join(z.split())


def clean_pattern(p: str) -> str:
    """A zip regex in the subset both Python and ECMAScript (std::regex) understand."""
    for bad in ("(?<", "(?P", "(?i", "(?>", "(?#", "\\A", "\\z", "\\Z", "\\h", "++", "*+", "?+"):
        if bad in p:
            raise SystemExit(f"zip pattern uses {bad!r}, which std::regex does not support: {p!r}")
    # Stored postcodes never hold two spaces in a row (SPEC §2.3), so a pattern asking for two (Saint Lucia's
    # "LC\d{2}  \d{3}") could never match: runs of literal spaces become one.
    p = re.sub(r" {2,}", " ", p)
    re.compile(p)
    return p


def full_match(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value, re.IGNORECASE) is not None


def compact_zip(z: str) -> str:
    return z.replace(" ", "").replace("-", "")


def split_list(s: str | None, sep: str = "~") -> list[str]:
    if not s:
        return []
    return s.split(sep)


def c_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def joined(items) -> str:
    for i in items:
        if "|" in i:
            raise SystemExit(f"value contains the list separator '|': {i!r}")
    return "|".join(items)


# ---------------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------------

@dataclass
class Sub:
    code: str                      # canonical full code, "US-CA"
    iso_name: str = ""             # name in iso-codes ("" for non-ISO)
    name: str = ""                 # display name
    iso: bool = True
    parent: bool = False           # has a parent in iso-codes (not a top-level subdivision)
    zone_order: int | None = None  # position among Shopify's zones (drop-down order)
    prefixes: list[str] = field(default_factory=list)       # literal prefixes (Shopify)
    prefix_regex: str = ""                                  # Google sub_zips regex
    code_claims: list[tuple[int, str]] = field(default_factory=list)  # (priority, full code)
    name_claims: list[tuple[int, str]] = field(default_factory=list)  # (priority, name)
    alias_codes: list[str] = field(default_factory=list)              # settled: full codes besides `code`
    alias_names: list[str] = field(default_factory=list)              # settled: names besides `name`
    name_indexed: bool = True                                         # the display name is this sub's


@dataclass
class Country:
    alpha2: str
    alpha3: str
    name: str
    iso: bool
    display: str = ""
    names: list[tuple[int, str]] = field(default_factory=list)
    subs: dict[str, Sub] = field(default_factory=dict)   # canonical full code -> Sub
    shopify: dict | None = None
    google: dict | None = None
    state_required: bool = False
    city_required: bool = True
    zip_pattern: str = ""
    zip_source: str = "none"
    zip_requirement: str = "optional"   # optional | recommended | required
    zip_example: str = ""


# Priorities for alias claims: a lower number wins a collision.
P_ISO, P_SHOPIFY, P_HAND, P_GOOGLE, P_DERIVED = 0, 1, 2, 3, 4


class Generator:
    def __init__(self, iso_dir: str, shared: str):
        self.iso_dir = iso_dir
        self.shared = shared
        self.notes: list[str] = []      # human-readable report lines
        self.countries: dict[str, Country] = {}
        self.google: dict[str, dict] = {}
        self.shopify: dict[str, dict] = {}
        self.zone_fixture: list[tuple] = []
        self.example_fixture: list[tuple] = []
        self.prefix_fixture: list[tuple] = []
        self.dropped_patterns: list[str] = []
        self.zone_by_code: dict[tuple[str, str], Sub] = {}

    # -- loading ------------------------------------------------------------------------------------------

    def load(self):
        with open(os.path.join(self.iso_dir, "iso_3166-1.json"), encoding="utf-8") as f:
            iso1 = json.load(f)["3166-1"]
        with open(os.path.join(self.iso_dir, "iso_3166-2.json"), encoding="utf-8") as f:
            iso2 = json.load(f)["3166-2"]
        meta = os.path.join(self.shared, "data", "address-metadata")
        files = sorted(glob.glob(os.path.join(meta, "shopify-worldwide", "regions", "*.yml")))
        if not files:
            raise SystemExit(f"no Shopify region files under {meta}")
        for path in files:
            with open(path, encoding="utf-8") as f:
                # BaseLoader keeps every scalar a string: "01004" stays a postcode, not an octal number.
                d = yaml.load(f, Loader=yaml.BaseLoader)
            self.shopify[d["code"]] = d
        with open(os.path.join(meta, "libaddressinput", "countryinfo.txt"), encoding="utf-8") as f:
            for line in f:
                key, _, value = line.rstrip("\n").partition("=")
                if key:
                    self.google[key] = json.loads(value)

        for c in iso1:
            cc = c["alpha_2"]
            country = Country(cc, c["alpha_3"], c["name"], True, c.get("common_name", c["name"]))
            country.names.append((P_ISO, c["name"]))
            for k in ("official_name", "common_name"):
                if k in c:
                    country.names.append((P_ISO, c[k]))
            self.countries[cc] = country
        for cc in sorted(NON_ISO_REGIONS):
            self.countries[cc] = Country(cc, "", self.shopify[cc]["name"], False, self.shopify[cc]["name"])
        for cc in sorted(set(self.shopify) - set(self.countries) - SKIPPED_REGIONS):
            raise SystemExit(f"Shopify region {cc} is neither ISO nor a known non-ISO region")

        for s in iso2:
            code = s["code"]
            cc = code.split("-", 1)[0]
            canonical = RENAMED.get(code, code)
            name = s["name"]
            sub = Sub(canonical, iso_name=name, name=clean_iso_name(name), parent="parent" in s)
            self.countries[cc].subs[canonical] = sub
            sub.code_claims.append((P_ISO, canonical))
            if canonical != code:
                sub.code_claims.append((P_ISO, code))
            sub.name_claims.append((P_ISO, clean_iso_name(name)))
            for alt_name, alt_code in iso_name_variants(name):
                sub.name_claims.append((P_DERIVED, alt_name))
                if alt_code:
                    sub.code_claims.append((P_DERIVED, alt_code))
        for new in set(RENAMED.values()):
            cc = new.split("-")[0]
            if new not in self.countries[cc].subs:
                raise SystemExit(f"RENAMED points to {new}, which iso-codes does not list under its old code")
        for old, new in RETIRED.items():
            cc = old.split("-")[0]
            if old in self.countries[cc].subs:
                raise SystemExit(f"RETIRED code {old} is still in iso-codes; move it to RENAMED or drop it")
            self.countries[cc].subs[new].code_claims.append((P_ISO, old))

    # -- Shopify ------------------------------------------------------------------------------------------

    def apply_shopify(self):
        for cc, d in sorted(self.shopify.items()):
            if cc in SKIPPED_REGIONS:
                continue
            country = self.countries[cc]
            country.shopify = d
            country.names.append((P_SHOPIFY, d["name"]))
            for n in d.get("name_alternates") or []:
                country.names.append((P_SHOPIFY, n))
            zones = d.get("zones") or []
            by_zone_code = {}
            for order, z in enumerate(zones):
                sub = self.resolve_zone(country, z)
                by_zone_code[strip_country(cc, z["code"])] = sub
                self.zone_by_code[(cc, z["code"])] = sub
                if sub.zone_order is None:
                    sub.zone_order = order
                    sub.name = z["name"]
                elif sub.iso:
                    sub.name = clean_iso_name(sub.iso_name)  # two zones merged (IN DN + DD): ISO's name
                # A zone's own code and name are what Shopify exports carry: they rank with ISO's.
                zcode = strip_country(cc, z["code"])
                sub.code_claims.append((P_ISO, f"{cc}-{zcode}"))
                for alt in z.get("code_alternates") or []:
                    sub.code_claims.append((P_SHOPIFY, f"{cc}-{strip_country(cc, alt)}"))
                sub.name_claims.append((P_ISO, z["name"]))
                for alt in z.get("name_alternates") or []:
                    sub.name_claims.append((P_SHOPIFY, alt))
                for p in z.get("zip_prefixes") or []:
                    if p not in sub.prefixes:
                        sub.prefixes.append(p)
                self.zone_fixture.append((cc, z["code"], z["name"], sub.code, z.get("example_city", ""),
                                          z.get("example_city_zip", "")))
            # Zips Shopify knows to cross a border count as a prefix of every zone they name.
            for zip_prefix, codes in sorted((d.get("zips_crossing_provinces") or {}).items()):
                for zcode in codes:
                    sub = by_zone_code.get(strip_country(cc, zcode))
                    if sub is None:
                        raise SystemExit(f"zips_crossing_provinces names unknown zone {cc} {zcode}")
                    if zip_prefix not in sub.prefixes:
                        sub.prefixes.append(zip_prefix)

    def resolve_zone(self, country: Country, z: dict) -> Sub:
        cc = country.alpha2
        candidates = [strip_country(cc, z["code"])]
        if z.get("iso_code"):
            iso_code = z["iso_code"]
            if "-" in iso_code:
                candidates.insert(0, strip_country(cc, iso_code))
            elif iso_code != cc:
                candidates.append(iso_code)  # US territories carry their own ISO 3166-1 code here
        candidates += [strip_country(cc, a) for a in z.get("code_alternates") or []]
        for suffix in candidates:
            full = f"{cc}-{suffix}"
            full = RENAMED.get(full, RETIRED.get(full, full))
            if full in country.subs:
                return country.subs[full]
        # No ISO subdivision at all: keep Shopify's zone as a documented non-ISO subdivision.
        full = f"{cc}-{strip_country(cc, z['code'])}"
        sub = Sub(full, name=z["name"], iso=False)
        sub.code_claims.append((P_SHOPIFY, full))
        country.subs[full] = sub
        self.notes.append(f"non-ISO subdivision {full} ({z['name']}) kept from Shopify")
        return sub

    # -- Google -------------------------------------------------------------------------------------------

    def apply_google(self):
        for cc, country in sorted(self.countries.items()):
            g = self.google.get(f"data/{cc}")
            country.google = g
            if not g:
                continue
            if g.get("name"):
                country.names.append((P_GOOGLE, g["name"]))
            keys = split_list(g.get("sub_keys"))
            if not keys:
                continue
            names = split_list(g.get("sub_names")) or [""] * len(keys)
            lnames = split_list(g.get("sub_lnames")) or [""] * len(keys)
            isoids = split_list(g.get("sub_isoids")) or [""] * len(keys)
            zips = split_list(g.get("sub_zips")) or [""] * len(keys)
            for i, key in enumerate(keys):
                sub = self.resolve_google(country, key, names[i], lnames[i], isoids[i])
                if sub is None:
                    self.notes.append(f"Google subdivision {cc}/{key} ({names[i] or lnames[i]}) matches no "
                                      "subdivision: ignored")
                    continue
                # A key is a code (US "CA", MX "AGS", "D.F.") when Google also gives a different name for it.
                if re.fullmatch(r"[A-Z0-9. ]{1,6}", key) and names[i] and fold(names[i]) != fold(key):
                    sub.code_claims.append((P_GOOGLE, f"{cc}-{key}"))
                for n in (key, names[i], lnames[i]):
                    if n:
                        sub.name_claims.append((P_GOOGLE, n))
                if zips[i]:
                    sub.prefix_regex = f"{sub.prefix_regex}|{zips[i]}" if sub.prefix_regex else zips[i]

    def resolve_google(self, country: Country, key, name, lname, isoid) -> Sub | None:
        cc = country.alpha2
        for suffix in (isoid, key):
            if not suffix:
                continue
            full = f"{cc}-{suffix.upper()}"
            full = RENAMED.get(full, RETIRED.get(full, full))
            if full in country.subs:
                return country.subs[full]
        if key:
            full = f"{cc}-{key.upper()}"
            hits = [s for s in country.subs.values() if any(c == full for _, c in s.code_claims)]
            if len(hits) == 1:
                return hits[0]
        for norm in (fold, loose):
            wanted = {norm(n) for n in (key, name, lname) if n}
            hits = [s for s in country.subs.values()
                    if any(norm(n) in wanted for _, n in s.name_claims)]
            if len(hits) == 1:
                return hits[0]
            zone_hits = [s for s in hits if s.zone_order is not None]
            if len(zone_hits) == 1:
                return zone_hits[0]
        return None

    # -- hand aliases -------------------------------------------------------------------------------------

    def apply_hand(self):
        for cc, alias, suffix in HAND_STATE_CODES:
            self.countries[cc].subs[f"{cc}-{suffix}"].code_claims.append((P_HAND, f"{cc}-{alias}"))
        for cc, names in HAND_COUNTRY_NAMES.items():
            for n in names:
                self.countries[cc].names.append((P_HAND, n))

    # -- rules --------------------------------------------------------------------------------------------

    def apply_rules(self):
        zz = self.google.get("data/ZZ", {})
        for cc, c in sorted(self.countries.items()):
            s = c.shopify or {}
            g = c.google or {}
            require = g.get("require", zz.get("require", "AC"))
            zones = s.get("zones") or []
            if c.shopify is not None:
                c.state_required = bool(zones) and s.get("province_optional") != "true" \
                    and s.get("hide_provinces_from_addresses") != "true"
                autofilled_city = s.get("autofill_city_enabled") == "true"
                c.city_required = "C" in require or not autofilled_city
            else:
                # Shopify is silent: Google's `require`, but only when the catalog can list the states
                # (Google's S for the US territories names the territory itself; there is nothing to pick).
                has_google_states = bool(g.get("sub_keys"))
                c.state_required = "S" in require and has_google_states and bool(c.subs)
                c.city_required = "C" in require

            shopify_pattern = s.get("zip_regex")
            google_pattern = g.get("zip")
            example = (s.get("example_address") or {}).get("zip")
            if shopify_pattern:
                c.zip_pattern, c.zip_source = clean_pattern(shopify_pattern), "shopify"
            elif google_pattern:
                pattern = clean_pattern(google_pattern)
                if example is not None and not full_match(pattern, normalize_zip(example)):
                    # Google's 2018 pattern rejects Shopify's 2026 example for the same country: stale.
                    self.dropped_patterns.append(f"{cc}: Google zip {google_pattern!r} rejects Shopify's "
                                                 f"example {example!r}; no pattern")
                else:
                    c.zip_pattern, c.zip_source = pattern, "google"
            requirement = s.get("zip_requirement")
            if requirement in ("optional", "recommended", "required"):
                c.zip_requirement = requirement
            elif c.zip_source == "shopify":
                c.zip_requirement = "required"   # Shopify: a pattern and no zip_requirement means required
            elif c.zip_source == "google":
                c.zip_requirement = "required" if "Z" in require else "optional"
            else:
                c.zip_requirement = "optional"
            c.zip_example = normalize_zip(s.get("zip_example") or (split_list(g.get("zipex"), ",") or [""])[0])

    def apply_prefix_sources(self):
        for cc, c in self.countries.items():
            has_shopify = any(s.prefixes for s in c.subs.values() if s.zone_order is not None)
            for s in c.subs.values():
                if has_shopify:
                    s.prefix_regex = ""    # Shopify's prefixes win for the whole country
                else:
                    s.prefixes = []
                    if s.prefix_regex:
                        re.compile(s.prefix_regex)
            if has_shopify or not c.shopify:
                continue
            # Google's 2018 prefixes must accept Shopify's 2026 example address; if not they are stale for
            # the whole country (MY: Kuala Lumpur's 55100 is outside Google's "[56]0").
            ex = c.shopify.get("example_address") or {}
            zone = self.zone_by_code.get((cc, ex.get("province_code", "")))
            if zone is not None and zone.prefix_regex and ex.get("zip") \
                    and not prefix_ok(c, zone, normalize_zip(ex["zip"])):
                self.dropped_patterns.append(
                    f"{cc}: Google sub_zips {zone.prefix_regex!r} of {zone.code} reject Shopify's example "
                    f"{ex['zip']!r}; no state prefixes for {cc}")
                for s in c.subs.values():
                    s.prefix_regex = ""

    # -- aliases and collisions ---------------------------------------------------------------------------

    def resolve_aliases(self):
        """Every code and name key points to one subdivision per country; collisions are settled by priority
        (ISO > Shopify > hand list > Google > derived), then by Shopify zone, and otherwise dropped."""
        for cc, c in sorted(self.countries.items()):
            code_owner = settle(
                [(p, key, s.code) for s in c.subs.values() for p, key in s.code_claims], c, self.notes, "code")
            name_owner = settle(
                [(p, fold(n), s.code) for s in c.subs.values() for p, n in s.name_claims if fold(n)], c,
                self.notes, "name")
            for s in c.subs.values():
                # Two subdivisions displayed alike (BD's Dhaka division and district): the name finds the one
                # that won the claim, and the other only by code.
                s.name_indexed = name_owner.get(fold(s.name)) == s.code
                s.alias_codes = sorted({k for k, owner in code_owner.items() if owner == s.code and k != s.code})
                seen = {fold(s.name)}
                names = []
                for _, n in sorted(s.name_claims, key=lambda x: x[0]):
                    f = fold(n)
                    if f and f not in seen and name_owner.get(f) == s.code:
                        seen.add(f)
                        names.append(n)
                s.alias_names = names
            c.country_names = settle_country_names(c)
        # A country name claimed by two countries (Google calls both GG and JE "Channel Islands") is kept for
        # the better-ranked claim, or dropped when the claims tie.
        claims: dict[str, list[tuple[int, str]]] = {}
        for cc, c in self.countries.items():
            claims.setdefault(fold(c.display), []).append((-1, cc))
            for p, n in c.names:
                claims.setdefault(fold(n), []).append((p, cc))
        for key, cl in sorted(claims.items()):
            ccs = {cc for _, cc in cl}
            if len(ccs) < 2:
                continue
            best = min(p for p, _ in cl)
            winners = {cc for p, cc in cl if p == best}
            if best == -1 and len(winners) > 1:
                raise SystemExit(f"two countries are displayed as {key!r}: {sorted(winners)}")
            for cc in ccs - (winners if len(winners) == 1 else set()):
                c = self.countries[cc]
                c.country_names = [n for n in c.country_names if fold(n) != key]
            self.notes.append(f"country name {key!r} claimed by {sorted(ccs)}: "
                              + (f"kept for {next(iter(winners))}" if len(winners) == 1 else "dropped"))

    # -- fixture ------------------------------------------------------------------------------------------

    def build_fixture(self):
        for cc, d in sorted(self.shopify.items()):
            ex = d.get("example_address")
            if cc in SKIPPED_REGIONS or not ex:
                continue
            self.example_fixture.append((cc, ex.get("province_code", ""), ex.get("city", ""), ex.get("zip")))
        for cc, c in sorted(self.countries.items()):
            zones = [s for s in c.subs.values() if s.zone_order is not None and s.prefixes]
            zones.sort(key=lambda s: s.zone_order)
            samples = self.sample_zips(c)
            for s in zones:
                for prefix in s.prefixes:
                    built = build_zip(prefix, c.zip_pattern, samples)
                    if built is None:
                        self.notes.append(f"no valid {cc} postcode could be built from prefix {prefix!r} "
                                          f"of {s.code}")
                        self.prefix_fixture.append((cc, s.code, prefix, "", ""))
                        continue
                    other = next((o.code for o in zones if o is not s and not prefix_ok(c, o, built)), "")
                    self.prefix_fixture.append((cc, s.code, prefix, built, other))

    def sample_zips(self, c: Country) -> list[str]:
        out = []
        s = c.shopify or {}
        ex = (s.get("example_address") or {}).get("zip")
        for z in [ex, s.get("zip_example")] + [z.get("example_city_zip") for z in s.get("zones") or []] + \
                split_list((c.google or {}).get("zipex"), ","):
            if z and normalize_zip(z) not in out:
                out.append(normalize_zip(z))
        return out

    # -- output -------------------------------------------------------------------------------------------

    def emit_table(self) -> str:
        lines = [
            "// GENERATED by scripts/gen_region_table.py - do not edit; run the script and commit the result.",
            "// Facts derived from Debian iso-codes (ISO 3166-1/-2), Shopify/worldwide region files (MIT) and",
            "// google/libaddressinput countryinfo.txt (Apache-2.0); see NOTICE and docs/decisions-region.md.",
            "//",
            "// RegionRow: alpha2, alpha3, name, alternate names ('|'), zip pattern (ECMAScript, matched whole and",
            "//   case-insensitively), zip example, zip source, zip requirement, state required, city required,",
            "//   ISO 3166-1, first subdivision, subdivision count, listed (drop-down) count.",
            "// SubdivisionRow: full code, name, alias codes ('|', full codes), alias names ('|'), zip prefixes",
            "//   ('|' literal prefixes, or one prefix regex when kPrefixRegex), flags (kNameNotIndexed: the name",
            "//   is another subdivision's too and finds that one).",
            "// clang-format off",
            "",
        ]
        rows, subrows = [], []
        index = 0
        for cc in sorted(self.countries):
            c = self.countries[cc]
            subs = ordered_subs(c)
            listed = len(listed_subs(c))
            rows.append(
                "    {%s, %s, %s, %s, %s, %s, ZipSource::%s, ZipRequirement::%s, %s, %s, %s, %d, %d, %d}," % (
                    c_string(cc), c_string(c.alpha3), c_string(display_country_name(c)),
                    c_string(joined(c.country_names)), c_string(c.zip_pattern), c_string(c.zip_example),
                    c.zip_source, c.zip_requirement, bool_c(c.state_required), bool_c(c.city_required),
                    bool_c(c.iso), index, len(subs), listed))
            for s in subs:
                flags = []
                if s.iso:
                    flags.append("kIso")
                if s.prefix_regex:
                    flags.append("kPrefixRegex")
                if s.zone_order is not None:
                    flags.append("kShopifyZone")
                if not s.name_indexed:
                    flags.append("kNameNotIndexed")
                prefixes = s.prefix_regex if s.prefix_regex else joined(s.prefixes)
                subrows.append("    {%s, %s, %s, %s, %s, %s}," % (
                    c_string(s.code), c_string(s.name), c_string(joined(s.alias_codes)),
                    c_string(joined(s.alias_names)), c_string(prefixes), " | ".join(flags) or "0"))
            index += len(subs)
        if index > 0xFFFF:
            raise SystemExit("more subdivisions than RegionRow's 16-bit indexes hold")
        lines.append("inline constexpr RegionRow kRegionRows[] = {")
        lines += rows
        lines.append("};")
        lines.append("")
        lines.append("inline constexpr SubdivisionRow kSubdivisionRows[] = {")
        lines += subrows
        lines.append("};")
        lines.append("// clang-format on")
        return "\n".join(lines) + "\n"

    def emit_fixture(self) -> str:
        lines = [
            "// GENERATED by scripts/gen_region_table.py - do not edit; run the script and commit the result.",
            "// Test facts derived from Shopify/worldwide region files (MIT): the example address of every region,",
            "// every zone's code and name with the canonical subdivision the generator mapped it to, and a postcode",
            "// built from each zone postal prefix (valid for the country's pattern) with a zone it must not fit.",
            "// clang-format off",
            "",
            "// region, province code, city, zip (nullptr = none)",
            "inline constexpr ExampleAddress kExampleAddresses[] = {",
        ]
        for cc, prov, city, z in self.example_fixture:
            lines.append("    {%s, %s, %s, %s}," % (c_string(cc), c_string(prov), c_string(city),
                                                 c_string(z) if z is not None else "nullptr"))
        lines += ["};", "", "// region, Shopify zone code, zone name, canonical code, example city, example zip",
                  "inline constexpr ZoneFact kZones[] = {"]
        for row in self.zone_fixture:
            lines.append("    {%s}," % ", ".join(c_string(x) for x in row))
        lines += ["};", "",
                  "// region, canonical code of the zone, prefix, postcode built from it (\"\" = none could be",
                  "// built), canonical code of a zone of the same region the postcode must not fit (\"\" = none)",
                  "inline constexpr PrefixFact kPrefixes[] = {"]
        for row in self.prefix_fixture:
            lines.append("    {%s}," % ", ".join(c_string(x) for x in row))
        lines += ["};", "// clang-format on"]
        return "\n".join(lines) + "\n"

    def report(self) -> str:
        subs = sum(len(c.subs) for c in self.countries.values())
        non_iso = sorted(s.code for c in self.countries.values() for s in c.subs.values() if not s.iso)
        lines = [
            f"regions: {len(self.countries)} ({sum(c.iso for c in self.countries.values())} ISO 3166-1, "
            f"non-ISO: {', '.join(sorted(NON_ISO_REGIONS))})",
            f"subdivisions: {subs} (non-ISO: {', '.join(non_iso)})",
            f"state required: {', '.join(cc for cc, c in sorted(self.countries.items()) if c.state_required)}",
            f"city optional: {', '.join(cc for cc, c in sorted(self.countries.items()) if not c.city_required)}",
            f"zip patterns: shopify {sum(c.zip_source == 'shopify' for c in self.countries.values())}, "
            f"google {sum(c.zip_source == 'google' for c in self.countries.values())}",
            "zip required: " + ", ".join(cc for cc, c in sorted(self.countries.items())
                                         if c.zip_requirement == "required"),
            "zip recommended: " + ", ".join(cc for cc, c in sorted(self.countries.items())
                                            if c.zip_requirement == "recommended"),
            f"example addresses: {len(self.example_fixture)}, zones: {len(self.zone_fixture)}, "
            f"prefix facts: {len(self.prefix_fixture)}",
        ]
        lines += self.dropped_patterns
        lines += self.notes
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------

def bool_c(b: bool) -> str:
    return "true" if b else "false"


def strip_country(cc: str, code: str) -> str:
    return code[len(cc) + 1:] if code.startswith(cc + "-") else code


def clean_iso_name(name: str) -> str:
    """iso-codes writes some names "Wales [Cymru GB-CYM]": the display name is the part before the bracket."""
    return re.sub(r"\s*\[[^\]]*\]", "", name).strip()


def iso_name_variants(name: str) -> list[tuple[str, str]]:
    """Alternate spellings hidden in an iso-codes name: the bracketed local name (and its code), the name
    without a trailing parenthesis, and the inverted form ("Bristol, City of" -> "City of Bristol")."""
    out = []
    for inner in re.findall(r"\[([^\]]*)\]", name):
        m = re.fullmatch(r"(.*?)\s+([A-Z]{2}-[A-Z0-9]{1,3})", inner)
        if m:
            out.append((m.group(1), m.group(2)))
        else:
            out.append((inner, ""))
    base = clean_iso_name(name)
    if "(" in base:
        out.append((re.sub(r"\s*\([^)]*\)", "", base).strip(), ""))
    m = re.fullmatch(r"([^,]+),\s*([^,]+)", base)
    if m:
        out.append((f"{m.group(2)} {m.group(1)}", ""))
    return [(n, c) for n, c in out if n]


def settle(claims, country: Country, notes: list[str], kind: str) -> dict[str, str]:
    by_key: dict[str, list] = {}
    for p, key, target in claims:
        by_key.setdefault(key, []).append((p, target))
    owner = {}
    for key, cl in sorted(by_key.items()):
        best = min(p for p, _ in cl)
        targets = sorted({t for p, t in cl if p == best})
        if len(targets) > 1:
            zones = [t for t in targets if country.subs[t].zone_order is not None]
            top = [t for t in targets if not country.subs[t].parent]
            if len(zones) == 1:
                targets = zones
            elif len(top) == 1:
                targets = top
        if len(targets) == 1:
            owner[key] = targets[0]
            losers = sorted({t for _, t in cl} - set(targets))
            if losers and best < P_DERIVED and kind == "code":
                notes.append(f"{kind} {key!r} kept for {targets[0]}, not {', '.join(losers)}")
        else:
            notes.append(f"ambiguous {kind} {key!r} in {country.alpha2} ({', '.join(targets)}): dropped")
    return owner


def settle_country_names(c: Country) -> list[str]:
    seen = {fold(c.display)}
    out = []
    for _, n in sorted(c.names, key=lambda x: x[0]):
        f = fold(n)
        if f and f not in seen:
            seen.add(f)
            out.append(n)
    return out


def display_country_name(c: Country) -> str:
    """iso-codes' common name when it has one ("South Korea", "Taiwan"), else its name."""
    return c.display


def ordered_subs(c: Country) -> list[Sub]:
    """Drop-down order first (Shopify's zone order, or iso-codes top level by name), then the rest by code."""
    subs = list(c.subs.values())
    listed = listed_subs(c)
    rest = sorted((s for s in subs if s not in listed), key=lambda s: s.code)
    return listed + rest


def listed_subs(c: Country) -> list[Sub]:
    zones = sorted((s for s in c.subs.values() if s.zone_order is not None), key=lambda s: s.zone_order)
    if zones:
        return zones
    top = [s for s in c.subs.values() if not s.parent] or list(c.subs.values())
    return sorted(top, key=lambda s: (fold(s.name), s.code))


def prefix_ok(c: Country, s: Sub, z: str) -> bool:
    if s.prefix_regex:
        return re.match(s.prefix_regex, z, re.IGNORECASE) is not None
    if not s.prefixes:
        return True
    cz = compact_zip(z)
    numeric = all(p[:1].isdigit() for p in s.prefixes)
    if numeric:
        cz = re.sub(r"^\D+", "", cz)
    return any(cz.startswith(compact_zip(p)) for p in s.prefixes)


def build_zip(prefix: str, pattern: str, samples: list[str]) -> str | None:
    """A postcode that starts with `prefix` and fits `pattern`, made by completing the prefix with the tail of
    a known valid postcode or with digits."""
    prefix = normalize_zip(prefix)
    candidates = []
    for s in samples:
        if len(s) > len(prefix):
            candidates.append(prefix + s[len(prefix):])
        cs, cp = compact_zip(s), compact_zip(prefix)
        if len(cs) > len(cp):
            candidates.append(cp + cs[len(cp):])
    for n in range(0, 9):
        candidates.append(prefix + "0" * n)
        candidates.append(prefix + "1" * n)
    for tail in ("1 1AA", "0 0AA", "1 0AA", "A 1AA"):
        candidates.append(prefix + tail)
    for cand in candidates:
        cand = normalize_zip(cand)
        if not pattern or full_match(pattern, cand):
            return cand
    return None


def generate(iso_dir: str, shared: str):
    g = Generator(iso_dir, shared)
    g.load()
    g.apply_shopify()
    g.apply_google()
    g.apply_hand()
    g.apply_rules()
    g.apply_prefix_sources()
    g.resolve_aliases()
    g.build_fixture()
    return g


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iso-codes-dir", default="/usr/share/iso-codes/json")
    ap.add_argument("--shared-dir", default=os.environ.get("LC_SHARED_DIR") or os.path.join(REPO, "..", "shared"))
    ap.add_argument("--out-dir", default=REPO, help="repository root the files are written to or checked in")
    ap.add_argument("--check", action="store_true", help="exit 1 when a committed file is stale")
    ap.add_argument("--report", action="store_true", help="print what was merged, dropped or unresolved")
    args = ap.parse_args()

    g = generate(args.iso_codes_dir, args.shared_dir)
    outputs = {
        os.path.join("src", "region_data.inc"): g.emit_table(),
        os.path.join("tests", "core", "region_examples.inc"): g.emit_fixture(),
    }
    if args.report:
        sys.stdout.write(g.report())
    stale = []
    for rel, text in outputs.items():
        path = os.path.join(args.out_dir, rel)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except FileNotFoundError:
                current = ""
            if current != text:
                stale.append(rel)
                diff = difflib.unified_diff(current.splitlines(), text.splitlines(), rel, "regenerated",
                                            lineterm="", n=0)
                for i, line in enumerate(diff):
                    if i >= 40:
                        print("...")
                        break
                    print(line)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/gen_region_table.py and commit the result",
              file=sys.stderr)
        return 1
    if args.check:
        print("region table is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
