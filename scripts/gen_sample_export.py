#!/usr/bin/env python3
"""Generates examples/data/shopify-customers.csv: a synthetic Shopify customer export (current 2024- layout).

Every person is invented (random first and last names, example.* e-mail domains, fictional phone ranges where
a country has one); places are real cities with postal codes and state codes that belong together. The file
carries the quirks that real exports show (data/README.md §1.2): apostrophe-guarded zips, phones and ids,
Shopify's own province codes (KR-11, ENG, SGR, JAL...), Excel round-trip damage, newsletter-only rows, the same
person twice, address2 placeholders, trailing spaces and all-caps names, phones in every national shape,
lower-case and unspaced postcodes, Hangul and Cyrillic, notes with line breaks, comma-separated tags.

A known share of rows must be rejected. Their line numbers and the rule each breaks go to
examples/data/shopify-customers.expected.json, which the importer test checks.

Deterministic: the same seed always gives the same bytes.
Usage: scripts/gen_sample_export.py [ROWS [OUT_DIR]]   (a bigger file for benchmarks goes to another folder)
"""
import csv
import io
import json
import os
import random
import sys

SEED = 20261203
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "examples", "data")

HEADER = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
          "Default Address Address1", "Default Address Address2", "Default Address City",
          "Default Address Province Code", "Default Address Country Code", "Default Address Zip",
          "Default Address Phone", "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note",
          "Tax Exempt", "Tags"]

FIRST = ["Ana", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Imke", "Jonas", "Kofi", "Lena",
         "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tamsin", "Umar", "Vera", "Wiebke",
         "Xavier", "Yara", "Zeno", "Aoife", "Bram", "Carmen", "Dario", "Eun-ji", "Femke", "Gustavo", "Hana",
         "Ines", "Jae-won", "Kirra", "Luca", "Marta", "Niamh", "Olga", "Pablo", "Ravi", "Saoirse", "Tomasz",
         "Uma", "Viktor", "Wanjiru", "Yusuf", "Zofia"]
LAST = ["Abernathy", "Bakker", "Castellano", "Dubois", "Eriksen", "Fontaine", "Gallagher", "Haddad", "Ishikawa",
        "Jankowski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "O'Connell", "Petrov", "Quispe", "Rahman",
        "Schäfer", "Tanaka", "Ueda", "Van der Berg", "Whitfield", "Xu", "Yilmaz", "Zimmermann", "Ashdown",
        "Brennan", "Cortés", "Delacroix", "Esposito", "Fitzgerald", "García-López", "Hoffmann", "Iyer",
        "Jovanović", "Kaur", "Larsen", "Mbeki", "Novak", "Okafor", "Pereira", "Rossi", "Sato", "Thornton",
        "Urquhart", "Villanueva", "Wójcik", "Yamamoto", "Zhou"]
STREETS = ["Maple", "Harbour", "Station", "Mill", "Orchard", "Linden", "Quarry", "Chapel", "Willow", "Beacon",
           "Juniper", "Kestrel", "Lantern", "Meadow", "Nightingale", "Osprey", "Primrose", "Rowan", "Saffron",
           "Thistle"]
COMPANIES = ["", "", "", "", "Northwind Traders", "Blue Heron Studio", "Kestrel & Sons", "Lumen Works",
             "Acme Widgets", "Fjord Design", "Copperleaf Ltd"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "shop.example.co.uk"]


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


# Country: (places, street format, phone maker). A place is (province code or "", city, zip maker).
def us_zip(prefix):
    return lambda rng: prefix + digits(rng, 5 - len(prefix))


COUNTRIES = {
    "US": ([("MA", "Cambridge", lambda r: r.choice(["02138", "02139", "02140", "02141"])),
            ("NJ", "Hoboken", lambda r: "07030"), ("CA", "San Francisco", lambda r: r.choice(["94103", "94110"])),
            ("NY", "New York", lambda r: r.choice(["10001", "10012", "10025"])), ("TX", "Austin", us_zip("787")),
            ("WA", "Seattle", us_zip("981")), ("IL", "Chicago", us_zip("606")), ("CO", "Denver", us_zip("802")),
            ("GA", "Atlanta", us_zip("303")), ("FL", "Miami", us_zip("331"))],
           "{n} {s} Street",
           lambda r: r.choice(["(617) 555-01", "617-555-01", "+1 415 555 01", "1 (818) 555-01"]) + digits(r, 2)),
    "CA": ([("ON", "Toronto", lambda r: "M5V " + r.choice(["2T6", "3L9", "1J1"])),
            ("QC", "Montréal", lambda r: "H2X " + r.choice(["1Y4", "3R4"])),
            ("BC", "Vancouver", lambda r: "V6B " + r.choice(["1A1", "4N6"])),
            ("AB", "Calgary", lambda r: "T2P " + r.choice(["1J9", "2M5"]))],
           "{n} {s} Avenue", lambda r: "+1 604 555 01" + digits(r, 2)),
    "GB": ([("ENG", "London", lambda r: r.choice(["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "sw1a 2aa", "EC1A1BB"])),
            ("SCT", "Edinburgh", lambda r: r.choice(["EH1 1YZ", "EH8 9YL"])),
            ("ENG", "Manchester", lambda r: r.choice(["M1 1AE", "M2 5DB"])),
            ("WLS", "Cardiff", lambda r: "CF10 1EP")],
           "{n} {s} Road", lambda r: r.choice(["+44 20 7946 0", "020 7946 0", "+44 161 496 0"]) + digits(r, 3)),
    "DE": ([("", "Berlin", lambda r: "10115"), ("", "München", lambda r: "80331"), ("", "Hamburg", lambda r: "20095")],
           "{s}straße {n}", lambda r: "+49 30 " + digits(r, 8)),
    "FR": ([("", "Paris", lambda r: r.choice(["75001", "75011", "75015"])), ("", "Lyon", lambda r: "69001"),
            ("", "Marseille", lambda r: "13001")],
           "{n} rue des {s}s", lambda r: "+33 1 " + " ".join(digits(r, 2) for _ in range(4))),
    "NL": ([("", "Amsterdam", lambda r: "1012 AB"), ("", "Utrecht", lambda r: "3511 LX")],
           "{s}straat {n}", lambda r: "+31 20 " + digits(r, 7)),
    "AU": ([("NSW", "Sydney", lambda r: "2000"), ("VIC", "Melbourne", lambda r: "3000"),
            ("QLD", "Brisbane", lambda r: "4000"), ("ACT", "Canberra", lambda r: "2601")],
           "{n} {s} Street", lambda r: "0491 570 " + digits(r, 3)),
    "NZ": ([("AUK", "Auckland", lambda r: "1010"), ("WGN", "Wellington", lambda r: "6011")],
           "{n} {s} Road", lambda r: "+64 9 " + digits(r, 7)),
    "IE": ([("D", "Dublin", lambda r: "D02 X285"), ("CO", "Cork", lambda r: "T12 RX43")],
           "{n} {s} Lane", lambda r: "+353 1 " + digits(r, 7)),
    "MX": ([("JAL", "Guadalajara", lambda r: "44100"), ("NL", "Monterrey", lambda r: "64000")],
           "Calle {s} {n}", lambda r: "+52 33 " + digits(r, 8)),
    "KR": ([("KR-11", "서울", lambda r: "04524"), ("KR-26", "부산", lambda r: "48058"), ("KR-41", "수원", lambda r: "16490")],
           "{s}로 {n}", lambda r: "+82 2 " + digits(r, 4) + " " + digits(r, 4)),
    "JP": ([("JP-13", "Tokyo", lambda r: "100-0001"), ("JP-27", "Osaka", lambda r: "530-0001")],
           "{n}-{n} {s}", lambda r: "+81 3 " + digits(r, 4) + " " + digits(r, 4)),
    "IN": ([("UP", "Lucknow", lambda r: "226001"), ("MH", "Mumbai", lambda r: "400001"),
            ("TS", "Hyderabad", lambda r: "500001"), ("KA", "Bengaluru", lambda r: "560001")],
           "{n} {s} Marg", lambda r: "+91 98" + digits(r, 3) + " " + digits(r, 5)),
    "AE": ([("DU", "Dubai", lambda r: ""), ("AZ", "Abu Dhabi", lambda r: "")],
           "Villa {n}, {s} Street", lambda r: "+971 4 " + digits(r, 7)),
    "MY": ([("SGR", "Shah Alam", lambda r: "40000"), ("KUL", "Kuala Lumpur", lambda r: "50000")],
           "{n} Jalan {s}", lambda r: "+60 3 " + digits(r, 4) + " " + digits(r, 4)),
    "BR": ([("SP", "São Paulo", lambda r: "01310-100"), ("RJ", "Rio de Janeiro", lambda r: "20040-002")],
           "Rua {s}, {n}", lambda r: "+55 11 9" + digits(r, 4) + "-" + digits(r, 4)),
    "ES": ([("M", "Madrid", lambda r: "28013"), ("B", "Barcelona", lambda r: "08001")],
           "Calle {s}, {n}", lambda r: "+34 91 " + digits(r, 7)),
    "IT": ([("RM", "Roma", lambda r: "00184"), ("MI", "Milano", lambda r: "20121")],
           "Via {s} {n}", lambda r: "+39 06 " + digits(r, 8)),
    "SE": ([("", "Stockholm", lambda r: "111 51"), ("", "Göteborg", lambda r: "411 04")],
           "{s}gatan {n}", lambda r: "+46 8 " + digits(r, 7)),
    "CH": ([("", "Zürich", lambda r: "8001"), ("", "Genève", lambda r: "1204")],
           "{s}strasse {n}", lambda r: "+41 44 " + digits(r, 7)),
    "BE": ([("", "Bruxelles", lambda r: "1000"), ("", "Antwerpen", lambda r: "2000")],
           "Rue {s} {n}", lambda r: "+32 2 " + digits(r, 7)),
    "PL": ([("", "Warszawa", lambda r: "00-001"), ("", "Kraków", lambda r: "30-001")],
           "ul. {s} {n}", lambda r: "+48 22 " + digits(r, 7)),
    "ZA": ([("GP", "Johannesburg", lambda r: "2001"), ("WC", "Cape Town", lambda r: "8001")],
           "{n} {s} Drive", lambda r: "+27 11 " + digits(r, 7)),
    "RU": ([("MOW", "Москва", lambda r: "101000"), ("SPE", "Санкт-Петербург", lambda r: "190000")],
           "ул. {s}, {n}", lambda r: "+7 495 " + digits(r, 3) + "-" + digits(r, 2) + "-" + digits(r, 2)),
}
WEIGHTS = {"US": 30, "CA": 8, "GB": 10, "AU": 6}
CYRILLIC_FIRST = ["Ольга", "Иван", "Мария", "Пётр"]
CYRILLIC_LAST = ["Смирнова", "Кузнецов", "Попова", "Волков"]
HANGUL_FIRST = ["지은", "민준", "서연", "도윤"]
HANGUL_LAST = ["김", "이", "박", "최"]
PLACEHOLDERS = ["Na", "N/a", "n/a", "None", "0", ".", "-"]


def main():
    rng = random.Random(SEED)
    countries = list(COUNTRIES)
    weights = [WEIGHTS.get(c, 2) for c in countries]
    rows = []  # (cells, expected rule or None)
    used_emails = set()
    next_id = 7022551000000

    def email_for(first, last):
        base = "".join(ch for ch in (first + "." + last).lower() if ch.isascii() and (ch.isalnum() or ch == "."))
        if not base.strip(".") or base.startswith("."):
            base = "customer" + digits(rng, 4)
        for k in range(100000):
            e = f"{base}{'' if k == 0 else k}@{rng.choice(DOMAINS)}"
            if e not in used_emails:
                used_emails.add(e)
                return e
        raise RuntimeError("no free e-mail")

    def person(country):
        if country == "RU" and rng.random() < 0.5:
            return rng.choice(CYRILLIC_FIRST), rng.choice(CYRILLIC_LAST)
        if country == "KR" and rng.random() < 0.5:
            return rng.choice(HANGUL_FIRST), rng.choice(HANGUL_LAST)
        return rng.choice(FIRST), rng.choice(LAST)

    def customer(country=None):
        nonlocal next_id
        country = country or rng.choices(countries, weights)[0]
        places, street_fmt, phone = COUNTRIES[country]
        province, city, zip_fn = rng.choice(places)
        first, last = person(country)
        email = email_for(first if first.isascii() else "kunde", last if last.isascii() else digits(rng, 3))
        next_id += rng.randint(1, 9999)
        zip_code = zip_fn(rng)
        cid = str(next_id)
        if rng.random() < 0.1:
            cid = "'" + cid  # some exports guard the id too
        if zip_code.isdigit() and rng.random() < 0.8:
            zip_code = "'" + zip_code  # Shopify guards numeric zips
        address_phone = phone(rng) if rng.random() < 0.6 else ""
        if address_phone and rng.random() < 0.15:
            address_phone = "'" + address_phone
        cells = {
            "Customer ID": cid,
            "First Name": first,
            "Last Name": last,
            "Email": email,
            "Accepts Email Marketing": rng.choice(["yes", "no", "no", ""]),
            "Default Address Company": rng.choice(COMPANIES),
            "Default Address Address1": street_fmt.format(n=rng.randint(1, 250), s=rng.choice(STREETS)),
            "Default Address Address2": rng.choice(["", "", "", "", f"Apt {rng.randint(1, 40)}", "Suite 200"]),
            "Default Address City": city,
            "Default Address Province Code": province,
            "Default Address Country Code": country,
            "Default Address Zip": zip_code,
            "Default Address Phone": address_phone,
            "Phone": phone(rng) if rng.random() < 0.3 else "",
            "Accepts SMS Marketing": rng.choice(["no", "no", "yes"]),
            "Total Spent": rng.choice(["0.00", "0", f"{rng.randint(5, 900)}.{rng.randint(0, 99):02d}"]),
            "Total Orders": str(rng.randint(0, 12)),
            "Note": "",
            "Tax Exempt": rng.choice(["no", "no", "no", "yes", ""]),
            "Tags": rng.choice(["", "", "vip", "wholesale, vip", "newsletter", "returning, gift card"]),
        }
        return cells

    expected = {}
    quirks = [
        "newsletter_only", "newsletter_only", "newsletter_only", "newsletter_only", "newsletter_only",
        "newsletter_only", "newsletter_only", "newsletter_only",
        "mangled_phone", "mangled_phone", "mangled_phone", "mangled_phone",
        "mangled_id", "mangled_id", "mangled_id",
        "lost_zero_zip", "lost_zero_zip", "lost_zero_zip", "lost_zero_zip", "lost_zero_zip",
        "no_at_email", "no_at_email", "no_at_email",
        "truncated_phone", "truncated_phone",
        "shifted_row",
        "missing_state", "missing_state",
        "bahrain_zero_zip",
        "zip_of_other_state", "zip_of_other_state",
    ] + ["twice"] * 6 + ["placeholder"] * 25 + ["name_quirk"] * 30 + ["phone_shape"] * 20 + ["note_lines"] * 8 \
      + ["typo_domain"] * 4 + ["postcode_shape"] * 8
    plain = ROWS - len(quirks) - quirks.count("twice")
    kinds = quirks + ["plain"] * plain
    rng.shuffle(kinds)

    for kind in kinds:
        c = customer()
        rule = None
        if kind == "newsletter_only":
            c = {k: "" for k in HEADER}
            c["Email"] = email_for("subscriber", digits(rng, 3))
            c["Accepts Email Marketing"] = "yes"
            c["Tags"] = "newsletter"
            rule = "name.required"
        elif kind == "mangled_phone":
            c["Phone"] = rng.choice(["9.19961E+11", "4.47946E+11", "1.61755E+10"])
            rule = "phone.spreadsheet_mangled"
        elif kind == "mangled_id":
            c["Customer ID"] = rng.choice(["7.02255E+12", "7.02256E+12"])
            rule = "external_ref.spreadsheet_mangled"
        elif kind == "lost_zero_zip":
            c = customer("US")
            state, zip_code = rng.choice([("NJ", "7030"), ("MA", "2138"), ("MA", "2139")])
            c.update({"Default Address Province Code": state, "Default Address Zip": zip_code,
                      "Default Address City": "Hoboken" if state == "NJ" else "Cambridge"})
            rule = "zip"  # the region catalog's zip-pattern rule
        elif kind == "no_at_email":
            used_emails.discard(c["Email"])
            c["Email"] = c["Email"].replace("@", "")
            rule = "email.missing_at"
        elif kind == "truncated_phone":
            c = customer("AU")
            c["Phone"] = "0481 "
            rule = "phone.not_possible"
        elif kind == "shifted_row":
            c["Default Address Company"] = "Smith, Jones & Partners"  # written unquoted below: one cell too many
            c["Tags"] = "vip"  # so the cell pushed past the header is not empty
            rule = "csv.cell_count"
        elif kind == "missing_state":
            c = customer("US")
            c["Default Address Province Code"] = ""
            rule = "state.required"
        elif kind == "bahrain_zero_zip":
            c.update({"Default Address Country Code": "BH", "Default Address Province Code": "",
                      "Default Address City": "Manama", "Default Address Zip": "'0000",
                      "Default Address Address1": "Building 12, Road 3801", "Default Address Phone": "",
                      "Phone": "+973 1700 " + digits(rng, 4)})
            rule = "zip"
        elif kind == "zip_of_other_state":
            c = customer("US")
            c.update({"Default Address Province Code": "NY", "Default Address City": "New York",
                      "Default Address Zip": "'90210"})
            rule = "zip"  # the catalog's zip/state prefix rule
        elif kind == "placeholder":
            c["Default Address Address2"] = rng.choice(PLACEHOLDERS)
        elif kind == "name_quirk":
            q = rng.choice(["trailing", "caps", "swapped", "username"])
            if q == "trailing":
                c["First Name"] += " "
            elif q == "caps":
                c["First Name"], c["Last Name"] = c["First Name"].upper(), c["Last Name"].upper()
            elif q == "swapped":
                c["First Name"] = c["Last Name"] + ", " + c["First Name"]
                c["Last Name"] = ""
            else:
                c["First Name"] = c["Email"].split("@")[0]
        elif kind == "phone_shape":
            c = customer("US")
            c["Phone"] = rng.choice(["(310) 555-0", "1 (818) 555-0", "+13105550", "310.555.0"]) + digits(rng, 3)
        elif kind == "note_lines":
            c["Note"] = "Prefers morning delivery.\nGate code 4411.\r\nCall before \"noon\"."
        elif kind == "typo_domain":
            user = c["Email"].split("@")[0]
            c["Email"] = user + rng.choice(["@gmsil.example", "@example.com.com"])
        elif kind == "postcode_shape":
            c = customer("GB") if rng.random() < 0.6 else customer("CA")
            if c["Default Address Country Code"] == "GB":
                c["Default Address Zip"] = rng.choice(["sw1a 1aa", "EC1A1BB", "W1A0AX", "ec1a 1bb"])
                c["Default Address Province Code"] = "ENG"
                c["Default Address City"] = "London"
            else:
                c["Default Address Zip"] = "m5v3l9"
                c["Default Address Province Code"] = "ON"
                c["Default Address City"] = "Toronto"
        rows.append((c, rule, kind))
        if kind == "twice":
            # The same person again, without e-mail but with a +E.164 phone: refused (e-mail is required).
            again = {k: "" for k in HEADER}
            again.update({"First Name": c["First Name"], "Last Name": c["Last Name"],
                          "Phone": "+1617555" + digits(rng, 4), "Accepts Email Marketing": "no"})
            rows.append((again, "email.required", "twice_again"))

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    line = 1
    for cells, rule, kind in rows:
        line += 1
        values = [cells[h] for h in HEADER]
        if kind == "shifted_row":
            text = ",".join(v if i == HEADER.index("Default Address Company") else
                            (f'"{v}"' if any(ch in v for ch in ',"\n\r') else v) for i, v in enumerate(values))
            buf.write(text + "\n")
        else:
            writer.writerow(values)
        if rule:
            expected[str(line)] = rule
        line += sum(v.count("\n") for v in values)  # quoted line breaks add physical lines

    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "shopify-customers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    summary = {
        "records": len(rows),
        "countries": sorted({c["Default Address Country Code"] for c, _, _ in rows if c["Default Address Country Code"]}),
        "rejected": expected,
        "note": "rule 'zip' means whichever zip rule the region catalog reports (pattern or state prefix)",
    }
    with open(os.path.join(OUT_DIR, "shopify-customers.expected.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(rows)} records, {len(expected)} to be rejected, {len(summary['countries'])} countries")


if __name__ == "__main__":
    main()
