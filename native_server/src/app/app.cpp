#include "app/app.hpp"

#include <httplib.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "http/front/front.hpp"
#include "http/http_server_settings.hpp"
#include "http/in_process_server.hpp"
#include "http/routes.hpp"
#include "http/tls.hpp"
#include "memberdesk/program.hpp"
#include "service/outbox.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#ifdef MEMBERDESK_WITH_POSTGRES
#include "storage/pg/pg_store.hpp"
#endif
#include "http/static_files.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

namespace {

bool read_whole_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return false;
    out = std::move(ss).str();
    return true;
}

bool is_preset_name(const std::string& s) { return s == "coffee" || s == "salon" || s == "retail"; }

// "Asia/Shanghai", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+8": no "..", not absolute.
bool plausible_zone_name(const std::string& s) {
    if (s.empty() || s.size() > 64 || s.front() == '/' || s.find("..") != std::string::npos) return false;
    for (char c : s) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
                  c == '-' || c == '+';
        if (!ok) return false;
    }
    return true;
}

Result<ProgramConfig> load_program_config(const std::string& program) {
    if (is_preset_name(program)) {
        auto p = load_preset(program);
        if (!p) return make_error(ErrorCode::invalid_program, "program preset '" + program + "': " + p.error().message);
        return p;
    }
    std::string text;
    if (!read_whole_file(program, text)) {
        return make_error(ErrorCode::invalid_program,
                          "--program " + program + ": not a preset (coffee, salon, retail) and not a readable file");
    }
    auto p = parse_program_text(text);
    if (!p) return make_error(ErrorCode::invalid_program, "program file " + program + ": " + p.error().message);
    return p;
}

}  // namespace

// Runs the scheduled reach in the background at start (what was missed while the server was down;
// on a large database the first day can take minutes and requests are served meanwhile), then once
// a minute. Real clock only: under the test clock it runs when the clock is moved, so tests see it
// at fixed points.
class ReachTicker {
public:
    explicit ReachTicker(Service& svc) : svc_(svc) {}
    ~ReachTicker() { stop(); }
    void start() {
        thread_ = std::thread([this] {
            run_logged(svc_);
            std::unique_lock<std::mutex> l(mu_);
            while (!cv_.wait_for(l, std::chrono::seconds(60), [&] { return stop_; })) {
                l.unlock();
                run_logged(svc_);
                l.lock();
            }
        });
    }
    void stop() {
        {
            std::lock_guard<std::mutex> l(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    static void run_logged(Service& svc) {
        try {
            const ReachRun r = svc.run_reach();
            if (r.days > 0)
                std::printf("memberdesk: reach: %d day(s), %d member(s), %d occasion(s), %d message(s), %d coupon(s)\n",
                            r.days, r.members, r.occasions, r.messages, r.coupons);
            std::fflush(stdout);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "memberdesk: reach: %s\n", e.what());
        }
    }

private:
    Service& svc_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
};

struct App::Impl {
    AppConfig config;
    std::unique_ptr<Clock> clock;
    TestClock* test_clock = nullptr;
    std::unique_ptr<Service> service;
    std::unique_ptr<OutboxSender> outbox;  // after service: stops before the store closes
    std::unique_ptr<ReachTicker> reach;
    // Set on shutdown: a long reach run stops between members; the next start goes on from there.
    std::shared_ptr<std::atomic<bool>> reach_stopping = std::make_shared<std::atomic<bool>>(false);
    std::unique_ptr<StaticFiles> statics;
    std::unique_ptr<Api> api;
    InProcessServer server;  // the routes, answering the front's worker threads in memory
    std::shared_ptr<TlsContext> tls;
    std::unique_ptr<front::Front> front;
    int redirect_port = -1;
    std::vector<nlohmann::json> demo_logins;
    std::vector<nlohmann::json> demo_staff_logins;
};

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() {
    if (impl_) impl_->reach_stopping->store(true);
    if (impl_ && impl_->reach) impl_->reach->stop();
    if (impl_ && impl_->outbox) impl_->outbox->stop();
}

std::unique_ptr<Store> open_store(const AppConfig& config) {
    const bool pg = config.db_path.rfind("postgresql://", 0) == 0 || config.db_path.rfind("postgres://", 0) == 0;
#ifdef MEMBERDESK_WITH_POSTGRES
    if (pg || is_postgres_conninfo(config.db_path)) {  // docs/postgresql.md
        PgOptions po;
        po.pool_size = config.db_pool;
        return std::make_unique<PgStore>(config.db_path, po);
    }
#else
    if (pg) throw StoreError(StoreError::Kind::other, "this server was built without PostgreSQL (libpq-dev)");
#endif
    return std::make_unique<SqliteStore>(config.db_path);
}

Result<std::unique_ptr<App>> App::create(const AppConfig& config) { return create(config, nullptr); }

Result<std::unique_ptr<App>> App::create(const AppConfig& config, std::unique_ptr<Store> store) {
    std::unique_ptr<App> app(new App());
    Impl& m = *app->impl_;
    m.config = config;

    // Program.
    auto program = load_program_config(config.program);
    if (!program) return program.error();

    // Time zone of the program, from the system tz database.
    const std::string& tz = program->timezone;
    if (!plausible_zone_name(tz)) return make_error(ErrorCode::unknown_zone, "unknown time zone '" + tz + "'");
    std::string zone_path = config.zoneinfo_dir + "/" + tz;
    std::string tzif;
    if (!read_whole_file(zone_path, tzif))
        return make_error(ErrorCode::unknown_zone, "unknown time zone '" + tz + "' (no " + zone_path + ")");
    auto zone = ZoneRules::from_tzif(tz, tzif);
    if (!zone)
        return make_error(ErrorCode::unknown_zone,
                          "time zone '" + tz + "' (" + zone_path + "): " + zone.error().message);

    // Static files.
    if (!config.web_dir.empty()) {
        auto sf = StaticFiles::load(config.web_dir);
        if (!sf) return sf.error();
        m.statics = std::move(sf.value());
    }

    // Clock.
    if (config.test_clock) {
        auto tc =
            std::make_unique<TestClock>(config.test_clock_start > 0 ? config.test_clock_start : SystemClock().now());
        m.test_clock = tc.get();
        m.clock = std::move(tc);
    } else {
        m.clock = std::make_unique<SystemClock>();
    }

    // Storage and service.
    try {
        if (!store) store = open_store(config);
        ServiceOptions so = config.service;
        so.deliver_messages = !config.notify_webhook.empty();
        // Offline card secrets are sealed under a key derived from the admin key (the one secret
        // every deployment configures, root-readable only); a new admin key ends every card.
        if (so.card_key.empty()) so.card_key = config.admin_key;
        so.reach_stop = [stopping = m.reach_stopping, also = so.reach_stop](int done) {
            return stopping->load() || (also && also(done));
        };
        if (config.demo && !so.on_code)  // so a new user can try sign-up from the README
            so.on_code = [](const std::string& phone, const std::string& code) {
                std::printf("memberdesk: demo: code %s sent to %s\n", code.c_str(), phone.c_str());
                std::fflush(stdout);
            };
        m.service = std::make_unique<Service>(std::move(store), std::move(program.value()), std::move(zone.value()),
                                              *m.clock, so);
        if (!config.notify_webhook.empty()) {
            OutboxOptions oo;
            oo.url = config.notify_webhook;
            oo.secret = config.notify_secret;
            oo.first_retry_seconds = config.notify_first_retry_seconds;
            m.outbox = std::make_unique<OutboxSender>(m.service->store(), oo);
            m.outbox->start();
        }
    } catch (const StoreError& e) {
        return make_error(ErrorCode::database_error, "database " + config.db_path + ": " + e.what());
    } catch (const std::exception& e) {
        return make_error(ErrorCode::startup_error, std::string("cannot start the service: ") + e.what());
    }

    if (config.demo) {
        try {
            m.demo_logins = m.service->seed_demo();
            m.demo_staff_logins = m.service->seed_demo_staff();
        } catch (const std::exception& e) {
            return make_error(ErrorCode::demo_error, std::string("seeding demo data failed: ") + e.what());
        }
    }

    // Scheduled reach: under the test clock what is due at its start runs before the server answers.
    if (m.test_clock) {
        ReachTicker::run_logged(*m.service);
    } else {
        m.reach = std::make_unique<ReachTicker>(*m.service);
        m.reach->start();
    }

    // HTTP.
    ApiOptions ao;
    ao.keys = {config.admin_key, config.pos_key, config.kiosk_key};
    ao.test_clock = m.test_clock;
    ao.static_files = m.statics.get();
    ao.login_window_seconds = config.service.login_window_seconds;
    ao.https = !config.tls_cert.empty() && !config.tls_key.empty();
    try {
        m.api = std::make_unique<Api>(*m.service, std::move(ao));
    } catch (const std::exception& e) {
        return make_error(ErrorCode::startup_error, std::string("cannot set up the routes: ") + e.what());
    }

    std::size_t threads = apply_http_server_settings(m.server, static_cast<std::size_t>(std::max(0, config.threads)),
                                                     config.max_body_bytes);
    m.api->install(m.server);

    if (!config.tls_cert.empty() || !config.tls_key.empty()) {
        std::string err;
        m.tls = TlsContext::load(config.tls_cert, config.tls_key, err);
        if (!m.tls) return make_error(ErrorCode::tls_error, err);
    }
    front::FrontOptions fo;
    fo.handler = [&server = m.server](std::string_view request, std::string& answer) {
        server.answer(request, answer);
    };
    fo.workers = threads;
    // The front keeps at least one thread for writes whatever is asked.
    fo.read_workers = config.read_threads < 0 ? default_read_threads(threads, m.service->store().backend() == "sqlite")
                                              : static_cast<std::size_t>(config.read_threads);
    fo.max_body_bytes = config.max_body_bytes;
    fo.max_connections_per_address = config.max_connections_per_address;
    m.front = std::make_unique<front::Front>(fo, m.tls);
    return app;
}

int App::bind_to_any_port(const std::string& host) {
    int port = impl_->front->bind(host, 0);
    if (port > 0 && impl_->config.redirect_http_port >= 0 && !bind_redirect_port(host)) return -1;
    return port;
}
bool App::bind(const std::string& host, int port) {
    return impl_->front->bind(host, port) > 0 && (impl_->config.redirect_http_port < 0 || bind_redirect_port(host));
}
bool App::bind_redirect_port(const std::string& host) {
    impl_->redirect_port = impl_->front->bind_redirect(host, impl_->config.redirect_http_port);
    return impl_->redirect_port > 0;
}
bool App::listen_after_bind() { return impl_->front->run(); }
void App::stop() { impl_->front->stop(); }
bool App::is_running() const { return impl_->front->is_running(); }
bool App::reload_tls(std::string& error) {
    if (!impl_->tls) {
        error = "HTTPS is not on (no --tls-cert)";
        return false;
    }
    return impl_->tls->reload(error);
}
int App::redirect_port() const { return impl_->redirect_port; }
Service& App::service() { return *impl_->service; }
const AppConfig& App::config() const { return impl_->config; }
const std::vector<nlohmann::json>& App::demo_logins() const { return impl_->demo_logins; }
const std::vector<nlohmann::json>& App::demo_staff_logins() const { return impl_->demo_staff_logins; }
std::string App::metrics_text() const { return impl_->api->metrics_text(); }

}  // namespace memberdesk::server
