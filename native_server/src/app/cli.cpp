#include "app/cli.hpp"

#include <optional>

#include "http/http_util.hpp"

namespace memberdesk::server {

namespace {

Error usage_error(std::string message) { return make_error(ErrorCode::usage, std::move(message)); }

// A whole number in [min, max], else none.
std::optional<int> parse_count(const std::string& s, int min, int max) {
    auto v = http::parse_int64(s);
    if (!v || *v < min || *v > max) return std::nullopt;
    return static_cast<int>(*v);
}

std::optional<int> parse_port(const std::string& s) {
    auto v = http::parse_int64(s);
    if (!v || *v < 0 || *v > 65535 || s[0] == '-') return std::nullopt;
    return static_cast<int>(*v);
}

}  // namespace

std::string usage_text() {
    return R"(memberdesk-server — loyalty program API server, web portal and kiosk

Usage:
  memberdesk-server --db PATH --port N [--program coffee|salon|retail|FILE.json] [--web DIR]
                    [--host ADDR] [--threads N] [--read-threads N] [--demo] [--test-clock] [--check-writes]
                    [--admin-key KEY] [--pos-key KEY] [--kiosk-key KEY] [--zoneinfo DIR]
                    [--tls-cert FILE --tls-key FILE [--redirect-http PORT]]
                    [--notify-webhook URL --notify-secret SECRET]
  memberdesk-server backup --db PATH DEST      (online copy of a SQLite database; see below)

Options:
  --db PATH          SQLite database file (created and migrated if needed). Required.
                     Or PostgreSQL: postgresql://user@host:port/db (any libpq conninfo);
                     see docs/postgresql.md.
  --db-pool N        PostgreSQL connections per process, 1..1000. Default: 10.
  --port N           TCP port to listen on, 0..65535 (0 = any free port, printed). Required.
  --program P        Loyalty program: a preset (coffee, salon, retail) or a program JSON file.
                     Default: coffee. A broken file is refused with the field that is wrong.
  --web DIR          Serve the web client from DIR: / = portal (index.html), /kiosk = kiosk
                     (kiosk.html, else index.html). Without it only the API is served.
  --host ADDR        Address to bind. Default: 127.0.0.1 (use 0.0.0.0 for all interfaces).
  --threads N        Worker threads: requests answered at once, 1..1024. Default: max(64,
                     8 x CPU cores). An open connection holds none until its request is
                     whole; more requests wait in arrival order.
  --read-threads N   Of those, threads that answer only GET and HEAD requests, so reads
                     neither wait behind writes waiting for the disk nor crowd the cores.
                     0 = one pool. Default with SQLite: 4 x CPU cores (at least 4), at
                     most half; with PostgreSQL: half. Never more than --threads - 1.
  --demo             Seed demo members (every tier, a year of history, coupons in every
                     state) into an empty database, print their logins, and use fixed demo
                     keys for any key not given. Never use in production.
  --test-clock       Enable PUT /api/v1/admin/clock {"now": RFC3339} (admin key) to move the
                     server's clock, for tests. Otherwise that route answers 404.
  --check-writes     For tests and benchmarks: every write compares the member's stored and new
                     snapshot with a replay of the full ledger and answers 500 if they differ.
                     Loads the whole history on every write: never in production.
  --admin-key KEY    Key for /api/v1/admin/* (header X-Api-Key).
  --pos-key KEY      Key for /api/v1/pos/* (header X-Api-Key).
  --kiosk-key KEY    Key of kiosk devices for /api/v1/kiosk/login (header X-Kiosk-Key).
  --zoneinfo DIR     tz database directory. Default: /usr/share/zoneinfo.
  --tls-cert FILE    Serve HTTPS with this PEM certificate (chain allowed, leaf first) and
  --tls-key FILE     this PEM private key. Both re-read on SIGHUP for new connections.
  --redirect-http P  Also listen on plain-HTTP port P, answering only 301 to https://.
  --max-conns-per-address N
                     Open connections allowed from one client address, 1..100000. Default: 256.
  --notify-webhook URL
                     POST every member message (sign-up and PIN reset codes, welcome, PIN
                     changed) to URL (http:// or https://), at least once, with retries for
                     24 h; the chain's SMS / WeChat gateway answers 2xx. Without it messages
                     are only kept in the members' inboxes. See README "Member messages".
  --notify-secret S  HMAC-SHA256 key of the X-Memberdesk-Signature header (at least 16
                     characters; required with --notify-webhook). Env MEMBERDESK_NOTIFY_SECRET.
  -h, --help         Show this help and exit.

Environment:
  MEMBERDESK_ADMIN_KEY, MEMBERDESK_POS_KEY, MEMBERDESK_KIOSK_KEY
                     Keys, when the flag is not given (flags win). Each key must be at least
                     16 characters and the three must differ. The server refuses to start
                     without all three unless --demo is given.

Flags also accept the form --flag=value.
Signals: SIGINT / SIGTERM stop gracefully (requests in flight finish); a second one exits at once.
         SIGHUP re-reads the TLS certificate and key (a broken file keeps the old ones).
Backup:  memberdesk-server backup --db PATH DEST writes a consistent copy of the SQLite database
         to DEST (a new file) while the server runs. PostgreSQL: use pg_dump.
Exit status: 0 after a clean stop, 2 on a usage or configuration error, 1 if the port cannot be bound.
API reference: docs/api.md.
)";
}

Result<CliOptions> parse_cli(const std::vector<std::string>& args, const GetEnv& getenv) {
    CliOptions o;
    bool have_db = false;
    std::optional<std::string> admin_key, pos_key, kiosk_key;

    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        if (arg.rfind("--", 0) == 0) {
            auto eq = arg.find('=');
            if (eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
        }
        auto flag_only = [&]() -> std::optional<Error> {
            if (inline_value) return usage_error(arg + " takes no value");
            return std::nullopt;
        };
        std::string value;
        auto need_value = [&]() -> std::optional<Error> {
            if (inline_value) {
                value = *inline_value;
            } else {
                if (i + 1 >= args.size()) return usage_error(arg + ": missing value");
                value = args[++i];
            }
            if (value.empty()) return usage_error(arg + ": empty value");
            return std::nullopt;
        };

        if (arg == "-h" || arg == "--help") {
            if (auto e = flag_only()) return *e;
            o.help = true;
        } else if (arg == "--demo") {
            if (auto e = flag_only()) return *e;
            o.app.demo = true;
        } else if (arg == "--test-clock") {
            if (auto e = flag_only()) return *e;
            o.app.test_clock = true;
        } else if (arg == "--check-writes") {
            if (auto e = flag_only()) return *e;
            o.app.service.check_after_state = true;
            o.app.service.check_snapshots = true;
        } else if (arg == "--notify-webhook") {
            if (auto e = need_value()) return *e;
            if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0)
                return usage_error("--notify-webhook: '" + value + "' is not an http:// or https:// URL");
            o.app.notify_webhook = value;
        } else if (arg == "--notify-secret") {
            if (auto e = need_value()) return *e;
            o.app.notify_secret = value;
        } else if (arg == "--db") {
            if (auto e = need_value()) return *e;
            o.app.db_path = value;
            have_db = true;
        } else if (arg == "--db-pool") {
            if (auto e = need_value()) return *e;
            auto n = parse_count(value, 1, 1000);
            if (!n) return usage_error("--db-pool: '" + value + "' is not a number of connections (1..1000)");
            o.app.db_pool = *n;
        } else if (arg == "--port") {
            if (auto e = need_value()) return *e;
            auto p = parse_port(value);
            if (!p) return usage_error("--port: '" + value + "' is not a port number (0..65535)");
            o.port = *p;
        } else if (arg == "--program") {
            if (auto e = need_value()) return *e;
            o.app.program = value;
        } else if (arg == "--web") {
            if (auto e = need_value()) return *e;
            o.app.web_dir = value;
        } else if (arg == "--host") {
            if (auto e = need_value()) return *e;
            o.host = value;
        } else if (arg == "--threads") {
            if (auto e = need_value()) return *e;
            auto n = parse_count(value, 1, 1024);
            if (!n) return usage_error("--threads: '" + value + "' is not a number of threads (1..1024)");
            o.app.threads = *n;
        } else if (arg == "--read-threads") {
            if (auto e = need_value()) return *e;
            auto n = parse_count(value, 0, 1023);
            if (!n) return usage_error("--read-threads: '" + value + "' is not a number of threads (0..1023)");
            o.app.read_threads = *n;
        } else if (arg == "--zoneinfo") {
            if (auto e = need_value()) return *e;
            o.app.zoneinfo_dir = value;
        } else if (arg == "--tls-cert") {
            if (auto e = need_value()) return *e;
            o.app.tls_cert = value;
        } else if (arg == "--tls-key") {
            if (auto e = need_value()) return *e;
            o.app.tls_key = value;
        } else if (arg == "--redirect-http") {
            if (auto e = need_value()) return *e;
            auto p = parse_port(value);
            if (!p) return usage_error("--redirect-http: '" + value + "' is not a port number (0..65535)");
            o.app.redirect_http_port = *p;
        } else if (arg == "--max-conns-per-address") {
            if (auto e = need_value()) return *e;
            auto n = parse_count(value, 1, 100000);
            if (!n) return usage_error("--max-conns-per-address: '" + value + "' is not a number (1..100000)");
            o.app.max_connections_per_address = static_cast<std::size_t>(*n);
        } else if (arg == "--admin-key") {
            if (auto e = need_value()) return *e;
            admin_key = value;
        } else if (arg == "--pos-key") {
            if (auto e = need_value()) return *e;
            pos_key = value;
        } else if (arg == "--kiosk-key") {
            if (auto e = need_value()) return *e;
            kiosk_key = value;
        } else {
            return usage_error("unknown option '" + args[i] + "'");
        }
    }
    if (o.help) return o;

    if (!have_db) return usage_error("--db PATH is required");
    if (o.port < 0) return usage_error("--port N is required");
    if (o.app.tls_cert.empty() != o.app.tls_key.empty()) return usage_error("--tls-cert and --tls-key go together");
    if (o.app.redirect_http_port >= 0 && o.app.tls_cert.empty())
        return usage_error("--redirect-http needs --tls-cert and --tls-key");
    if (o.app.notify_secret.empty() && getenv) {
        const char* e = getenv("MEMBERDESK_NOTIFY_SECRET");
        if (e && *e) o.app.notify_secret = e;
    }
    if (!o.app.notify_webhook.empty() && o.app.notify_secret.size() < kMinKeyLength)
        return usage_error("--notify-webhook needs --notify-secret (or MEMBERDESK_NOTIFY_SECRET) of at least " +
                           std::to_string(kMinKeyLength) + " characters");

    struct KeySpec {
        const char* what;
        const char* flag;
        const char* env;
        std::optional<std::string>& given;
        std::string& target;
        const char* demo;
    };
    KeySpec specs[] = {
        {"admin", "--admin-key", "MEMBERDESK_ADMIN_KEY", admin_key, o.app.admin_key, kDemoAdminKey},
        {"POS", "--pos-key", "MEMBERDESK_POS_KEY", pos_key, o.app.pos_key, kDemoPosKey},
        {"kiosk", "--kiosk-key", "MEMBERDESK_KIOSK_KEY", kiosk_key, o.app.kiosk_key, kDemoKioskKey},
    };
    for (auto& k : specs) {
        std::optional<std::string> v = k.given;
        if (!v && getenv) {
            const char* e = getenv(k.env);
            if (e && *e) v = std::string(e);
        }
        if (!v) {
            if (!o.app.demo)
                return usage_error(std::string("missing ") + k.what + " key: pass " + k.flag + " or set " + k.env +
                                   " (at least 16 characters), or use --demo");
            v = std::string(k.demo);
            o.demo_keys = true;
        }
        if (v->size() < kMinKeyLength && !o.app.demo)
            return usage_error(std::string(k.what) + " key (" + k.flag + " / " + k.env + ") is too short: at least " +
                               std::to_string(kMinKeyLength) + " characters");
        k.target = *v;
    }
    if (o.app.admin_key == o.app.pos_key || o.app.admin_key == o.app.kiosk_key || o.app.pos_key == o.app.kiosk_key)
        return usage_error("the admin, POS and kiosk keys must all differ");
    return o;
}

}  // namespace memberdesk::server
