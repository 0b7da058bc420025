#include "http/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace memberdesk::server {

namespace {

std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out.empty() ? "unknown OpenSSL error" : out;
}

}  // namespace

std::shared_ptr<SSL_CTX> TlsContext::build(const std::string& cert, const std::string& key, std::string& error) {
    ERR_clear_error();
    std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    if (!ctx) {
        error = "cannot create a TLS context: " + openssl_errors();
        return nullptr;
    }
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    // Forward secrecy only; no renegotiation; no session tickets whose key would never rotate.
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                       SSL_OP_NO_TICKET);
    SSL_CTX_set_cipher_list(ctx.get(), "ECDHE+AESGCM:ECDHE+CHACHA20");
    // Non-blocking writes from a buffer that may move between retries; idle connections give back
    // their read/write buffers.
    SSL_CTX_set_mode(ctx.get(),
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) != 1) {
        error = "--tls-cert " + cert + ": " + openssl_errors();
        return nullptr;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1) {
        error = "--tls-key " + key + ": " + openssl_errors();
        return nullptr;
    }
    if (SSL_CTX_check_private_key(ctx.get()) != 1) {
        error = "--tls-key " + key + " does not match --tls-cert " + cert;
        ERR_clear_error();
        return nullptr;
    }
    return ctx;
}

std::shared_ptr<TlsContext> TlsContext::load(const std::string& cert_file, const std::string& key_file,
                                             std::string& error) {
    std::shared_ptr<TlsContext> t(new TlsContext(cert_file, key_file));
    if (!t->reload(error)) return nullptr;
    return t;
}

bool TlsContext::reload(std::string& error) {
    auto ctx = build(cert_file_, key_file_, error);
    if (!ctx) return false;
    std::lock_guard<std::mutex> lock(mu_);
    ctx_ = std::move(ctx);
    return true;
}

std::shared_ptr<SSL_CTX> TlsContext::current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ctx_;
}

}  // namespace memberdesk::server
