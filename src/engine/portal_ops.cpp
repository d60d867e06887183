// The portal login (SPEC §2.4): portal.set_login, portal.verify_answer, portal.verify_password.
//
// Secrets exist here only as plaintext in the command and as Argon2id hashes in the aggregate; no result,
// error message or history entry carries either. Verification follows SPEC §2.4's order: an unknown e-mail
// and a wrong secret give the same UNAUTHENTICATED answer (and both spend one Argon2id verification, so
// the time taken does not tell them apart either); a locked login is PERMISSION_DENIED without looking at
// the secret (a lock that still answered "right"/"wrong" would let guessing go on); a correct secret of an
// Inactive or Archived customer is FAILED_PRECONDITION on `status`. Attempts change the failure count and
// the lock but never `version` (SaveMode::unversioned), and a failure is committed even though the command
// fails (OpContext::error_after_commit).
//
// Argon2id costs ~0.1 s, so every hash and verification runs in the op's prepare step, outside the store's
// write transaction (a write lock held for 0.1 s per login attempt would stall every other writer). The op
// then re-reads the customer inside its transaction and uses the prepared result only if it was computed
// against the hash still stored; otherwise (a login changed in between) it does the work again there.
#include <any>
#include <map>
#include <mutex>
#include <utility>

#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/portal_login.hpp"
#include "leadcustomers/secret.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

enum class SecretKind { answer, password };

// A hash with the engine's current limits to verify against when there is no real one (unknown e-mail, no
// login, or no secret of that kind), so every UNAUTHENTICATED answer costs the same Argon2id work. Made
// once per process and limits; the secret hashed is irrelevant because the result is thrown away.
const std::string& dummy_hash(const HashLimits& limits) {
  static std::mutex mutex;
  static std::map<std::pair<uint64_t, size_t>, std::string> cache;
  std::lock_guard lock(mutex);
  auto key = std::make_pair(limits.ops_limit, limits.mem_limit);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto h = hash_secret("leadcustomers: no such login", limits);
    it = cache.emplace(key, h.ok() ? *h : std::string()).first;
  }
  return it->second;
}

absl::Status unauthenticated(SecretKind kind) {
  return make_error(ErrorCode::unauthenticated, kind == SecretKind::answer
                                                    ? "the e-mail or the secret answer is not correct"
                                                    : "the e-mail or the password is not correct");
}

LockoutPolicy lockout_policy(const OpContext& ctx) {
  return {ctx.engine.options.lockout_attempts, ctx.engine.options.lockout_duration};
}

// ---------------------------------------------------------------------------------------------------------
// portal.set_login: validate (cheap), hash outside the transaction (slow), apply inside it.

struct SetLoginInput {
  CustomerName name;
  bool set_pair = false, clear_pair = false, set_password = false, clear_password = false;
  std::string question, answer_form, password_form;
};

// Reads and validates the command. Both steps run it (it is cheap and gives the same answer both times).
absl::StatusOr<SetLoginInput> read_set_login(FieldReader& f, std::string_view op) {
  SetLoginInput in;
  in.name = read_customer_name(f, true);
  auto question = f.str("secret_question");
  auto answer = f.str("secret_answer");
  auto password = f.str("password");
  LC_RETURN_IF_ERROR(f.finish(op));
  Diagnostics d;
  if (question.present || answer.present) {
    if (question.null && answer.null) {
      in.clear_pair = true;
    } else {
      in.set_pair = true;
      for (auto [p, field] : {std::pair{&question, "secret_question"}, std::pair{&answer, "secret_answer"}}) {
        if (!p->has_value()) {
          d.error(field, cat(field, ".required"),
                  cat("secret_question and secret_answer are set together (or both cleared with null); ",
                      field, " is missing"));
        }
      }
      if (question.has_value()) {
        auto q = clean_text(question.value, "secret_question", {.max_code_points = kSecretQuestionMax}, d);
        if (q && q->empty())
          d.error("secret_question", "secret_question.required", "secret_question is empty");
        if (q) in.question = *q;
      }
      if (answer.has_value()) {
        if (auto a = secret_answer_form(answer.value, "secret_answer", d)) in.answer_form = std::move(*a);
      }
    }
  }
  if (password.present) {
    if (password.null) {
      in.clear_password = true;
    } else {
      in.set_password = true;
      if (auto p = password_form(password.value, "password", d)) in.password_form = std::move(*p);
    }
  }
  if (!in.set_pair && !in.clear_pair && !in.set_password && !in.clear_password) {
    d.error("", "portal.nothing_to_set",
            "portal.set_login needs secret_question with secret_answer, and/or password");
  }
  if (!d.ok()) return validation_failed(d);
  return in;
}

// Loads the customer and refuses what no hash can fix. Both steps run it, so a refused command costs no
// hashing.
absl::StatusOr<CustomerAggregate> load_for_set_login(OpContext& ctx, const CustomerName& name) {
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  if (loaded->customer.erased) {
    return field_error(ErrorCode::failed_precondition, "customer_id", "customer.erased",
                       "an erased customer has no portal login");
  }
  if (ctx.actor == Actor::customer && loaded->customer.status != Status::active) {
    return field_error(ErrorCode::failed_precondition, "status", "customer.not_active",
                       cat("the account is ", to_string(loaded->customer.status),
                           "; an Inactive or Archived account cannot change its login"));
  }
  return loaded;
}

struct SetLoginHashes {
  std::string answer_hash, password_hash;  // "" where the command sets no such secret
};

absl::StatusOr<SetLoginHashes> make_hashes(const HashLimits& limits, const SetLoginInput& in) {
  SetLoginHashes out;
  if (in.set_pair) {
    auto h = hash_secret(in.answer_form, limits);
    if (!h.ok()) return h.status();
    out.answer_hash = std::move(*h);
  }
  if (in.set_password) {
    auto h = hash_secret(in.password_form, limits);
    if (!h.ok()) return h.status();
    out.password_hash = std::move(*h);
  }
  return out;
}

absl::Status prepare_set_login(PrepareContext& pc) {
  auto in = read_set_login(pc.fields, pc.op);
  if (!in.ok()) return in.status();
  LC_RETURN_IF_ERROR(pc.read([&](OpContext& ctx) { return load_for_set_login(ctx, in->name).status(); }));
  auto hashes = make_hashes(pc.engine.options.hash_limits, *in);
  if (!hashes.ok()) return hashes.status();
  pc.prepared = std::move(*hashes);
  return absl::OkStatus();
}

absl::StatusOr<boost::json::value> op_set_login(OpContext& ctx) {
  auto in = read_set_login(ctx.fields, ctx.op);
  if (!in.ok()) return in.status();
  auto loaded = load_for_set_login(ctx, in->name);
  if (!loaded.ok()) return loaded.status();
  SetLoginHashes hashes;
  if (const auto* prepared = std::any_cast<SetLoginHashes>(&ctx.prepared)) {
    hashes = *prepared;
  } else {
    auto made = make_hashes(ctx.engine.options.hash_limits, *in);
    if (!made.ok()) return made.status();
    hashes = std::move(*made);
  }

  CustomerAggregate agg = *loaded;
  auto& p = agg.portal;
  std::string what;
  auto note = [&](std::string_view s) { what += what.empty() ? std::string(s) : cat("; ", s); };
  if (in->set_pair) {
    p.secret_question = in->question;
    p.answer_hash = std::move(hashes.answer_hash);
    note("secret question and answer set");
  } else if (in->clear_pair && (p.secret_question || p.answer_hash)) {
    p.secret_question.reset();
    p.answer_hash.reset();
    note("secret question and answer removed");
  }
  if (in->set_password) {
    p.password_hash = std::move(hashes.password_hash);
    note("password set");
  } else if (in->clear_password && p.password_hash) {
    p.password_hash.reset();
    note("password removed");
  }
  if (!what.empty()) {
    // New secrets start a fresh count: a staff reset is how a locked-out customer gets back in.
    record_success(p);
    agg.history.push_back({ctx.now, ctx.actor, "portal_login_changed", std::nullopt, std::nullopt, what});
  }
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return customer_document(agg);
}

// ---------------------------------------------------------------------------------------------------------
// portal.verify_answer / portal.verify_password: look up and verify outside the transaction (slow), then
// apply the outcome inside it, re-checking that what was verified is still what is stored.

struct VerifyInput {
  std::string email;
  std::optional<std::string> candidate;  // nullopt: cannot match any stored secret
};

absl::StatusOr<VerifyInput> read_verify(FieldReader& f, std::string_view op, SecretKind kind) {
  const char* secret_field = kind == SecretKind::answer ? "answer" : "password";
  auto email = f.str("email");
  auto secret = f.str(secret_field);
  LC_RETURN_IF_ERROR(f.finish(op));
  Diagnostics d;
  if (!email.has_value()) d.error("email", "email.required", "email is required");
  if (!secret.has_value())
    d.error(secret_field, cat(secret_field, ".required"), cat(secret_field, " is required"));
  if (!d.ok()) return validation_failed(d);
  return VerifyInput{email.value, kind == SecretKind::answer ? answer_candidate(secret.value)
                                                             : password_candidate(secret.value)};
}

// The customer the e-mail names as a login (the non-archived one, else the most recently archived one).
absl::StatusOr<std::optional<CustomerAggregate>> find_login(StoreTx& tx, std::string_view email) {
  auto id = find_by_email(tx, email);
  if (!id.ok()) return id.status();
  if (!*id) return std::optional<CustomerAggregate>();
  return tx.load_customer(**id);
}

const std::string* stored_hash(const std::optional<CustomerAggregate>& agg, SecretKind kind) {
  if (!agg) return nullptr;
  const auto& h = kind == SecretKind::answer ? agg->portal.answer_hash : agg->portal.password_hash;
  return h ? &*h : nullptr;
}

// The outcome of the slow part, and what it was computed against.
struct VerifyFinding {
  std::optional<CustomerId> customer;
  std::string hash;  // the stored hash compared with ("" when there was none)
  bool correct = false;
  std::optional<std::string> rehash;  // a hash with the current limits, when a success needs one
};

// One Argon2id verification (against a throw-away hash when there is nothing to compare with, so every
// UNAUTHENTICATED answer costs the same), plus the re-hash a success with older limits needs.
VerifyFinding check_secret(const HashLimits& limits, const std::optional<CustomerAggregate>& agg,
                           SecretKind kind, const std::optional<std::string>& candidate) {
  VerifyFinding f;
  if (agg) f.customer = agg->customer.id;
  const std::string* stored = stored_hash(agg, kind);
  if (stored) f.hash = *stored;
  if (!stored || !candidate) {
    (void)verify_secret(dummy_hash(limits), candidate.value_or(std::string()));
    return f;
  }
  f.correct = verify_secret(*stored, *candidate);
  if (f.correct && agg->customer.status == Status::active && needs_rehash(*stored, limits)) {
    // Made with older limits: re-made now, while the plaintext is at hand (SPEC §2.4).
    if (auto h = hash_secret(*candidate, limits); h.ok()) f.rehash = std::move(*h);
  }
  return f;
}

bool still_applies(const VerifyFinding& f, const std::optional<CustomerAggregate>& agg, SecretKind kind) {
  std::optional<CustomerId> id;
  if (agg) id = agg->customer.id;
  const std::string* stored = stored_hash(agg, kind);
  return f.customer == id && f.hash == (stored ? *stored : std::string());
}

absl::Status prepare_verify(PrepareContext& pc, SecretKind kind) {
  auto in = read_verify(pc.fields, pc.op, kind);
  if (!in.ok()) return in.status();
  std::optional<CustomerAggregate> agg;
  LC_RETURN_IF_ERROR(pc.read([&](OpContext& ctx) -> absl::Status {
    auto found = find_login(ctx.tx, in->email);
    if (!found.ok()) return found.status();
    agg = std::move(*found);
    return absl::OkStatus();
  }));
  // A locked login is refused without looking at the secret (the op does the refusing).
  if (agg && is_locked(agg->portal, detail::engine_now(*pc.engine.clock))) return absl::OkStatus();
  pc.prepared = check_secret(pc.engine.options.hash_limits, agg, kind, in->candidate);
  return absl::OkStatus();
}

absl::StatusOr<boost::json::value> verify(OpContext& ctx, SecretKind kind) {
  auto in = read_verify(ctx.fields, ctx.op, kind);
  if (!in.ok()) return in.status();
  auto found = find_login(ctx.tx, in->email);
  if (!found.ok()) return found.status();
  const auto* prepared = std::any_cast<VerifyFinding>(&ctx.prepared);
  // The finding of the prepare step, or (when the store changed meanwhile) the same work done now.
  auto finding = [&]() -> VerifyFinding {
    if (prepared && still_applies(*prepared, *found, kind)) return *prepared;
    return check_secret(ctx.engine.options.hash_limits, *found, kind, in->candidate);
  };
  if (!*found || !(*found)->portal.has_login()) {
    (void)finding();
    return unauthenticated(kind);
  }

  const CustomerAggregate& loaded = **found;
  CustomerAggregate agg = loaded;
  auto& p = agg.portal;
  if (is_locked(p, ctx.now)) {
    return field_error(ErrorCode::permission_denied, "email", "portal.locked",
                       cat("the login is locked until ", format_timestamp(*p.locked_until), " after ",
                           ctx.engine.options.lockout_attempts, " failed attempts"));
  }
  VerifyFinding f = finding();
  if (!f.correct) {
    if (record_failure(p, lockout_policy(ctx), ctx.now)) {
      agg.history.push_back({ctx.now, ctx.actor, "portal_locked", std::nullopt, std::nullopt,
                             cat("locked until ", format_timestamp(*p.locked_until), " after ",
                                 ctx.engine.options.lockout_attempts, " consecutive failed attempts")});
    }
    LC_RETURN_IF_ERROR(save_customer(ctx, agg, loaded, SaveMode::unversioned));
    ctx.error_after_commit = unauthenticated(kind);
    return boost::json::value(nullptr);
  }

  // The secret is right: only now may anything else about the account be told.
  LC_RETURN_IF_ERROR(check_version(ctx, loaded));
  record_success(p);
  if (agg.customer.status != Status::active) {
    LC_RETURN_IF_ERROR(save_customer(ctx, agg, loaded, SaveMode::unversioned));
    ctx.error_after_commit =
        field_error(ErrorCode::failed_precondition, "status", "customer.not_active",
                    cat("the account is ", to_string(agg.customer.status), "; it cannot log in"));
    return boost::json::value(nullptr);
  }
  if (f.rehash) (kind == SecretKind::answer ? p.answer_hash : p.password_hash) = std::move(*f.rehash);
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, loaded, SaveMode::unversioned));
  return boost::json::object{{"verified", true}};
}

absl::Status prepare_verify_answer(PrepareContext& pc) { return prepare_verify(pc, SecretKind::answer); }
absl::Status prepare_verify_password(PrepareContext& pc) { return prepare_verify(pc, SecretKind::password); }
absl::StatusOr<boost::json::value> op_verify_answer(OpContext& ctx) {
  return verify(ctx, SecretKind::answer);
}
absl::StatusOr<boost::json::value> op_verify_password(OpContext& ctx) {
  return verify(ctx, SecretKind::password);
}

}  // namespace

void add_portal_ops(OpTable& t) {
  t["portal.set_login"] = {true, op_set_login, prepare_set_login};
  t["portal.verify_answer"] = {true, op_verify_answer, prepare_verify_answer};
  t["portal.verify_password"] = {true, op_verify_password, prepare_verify_password};
}

}  // namespace leadcustomers::detail
