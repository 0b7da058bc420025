// TLS certificates of the HTTPS listener (OpenSSL). The context is rebuilt from the files on
// reload() -- SIGHUP -- and swapped in for new connections; connections already open keep the
// context they started with, so a reload drops nothing in flight.
#pragma once
#include <memory>
#include <mutex>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace memberdesk::server {

class TlsContext {
public:
    // Reads the PEM certificate (chain allowed: leaf first) and private key; nullptr + `error` on failure.
    static std::shared_ptr<TlsContext> load(const std::string& cert_file, const std::string& key_file,
                                            std::string& error);
    // Re-reads the files; on failure keeps the current context and returns false with `error`.
    bool reload(std::string& error);
    // The context for a new connection (kept alive by the returned pointer).
    std::shared_ptr<SSL_CTX> current() const;
    const std::string& cert_file() const { return cert_file_; }

private:
    TlsContext(std::string cert, std::string key) : cert_file_(std::move(cert)), key_file_(std::move(key)) {}
    static std::shared_ptr<SSL_CTX> build(const std::string& cert, const std::string& key, std::string& error);
    std::string cert_file_, key_file_;
    mutable std::mutex mu_;
    std::shared_ptr<SSL_CTX> ctx_;
};

}  // namespace memberdesk::server
