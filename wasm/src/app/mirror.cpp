#include "app/mirror.hpp"

#include <functional>

#include <nlohmann/json.hpp>

namespace memberdesk::client {

const char* to_string(Role r) {
    switch (r) {
        case Role::root: return "root";
        case Role::region: return "region";
        case Role::nav: return "nav";
        case Role::heading: return "heading";
        case Role::text: return "text";
        case Role::button: return "button";
        case Role::input: return "input";
        case Role::choice: return "choice";
        case Role::option: return "option";
        case Role::list: return "list";
        case Role::item: return "item";
        case Role::status: return "status";
        case Role::alert: return "alert";
        case Role::image: return "image";
        case Role::progress: return "progress";
        case Role::dialog: return "dialog";
    }
    return "text";
}

Mirror::Mirror() { clear(); }

void Mirror::clear() {
    root_ = MirrorNode{};
    root_.id = "root";
    root_.role = Role::root;
    stack_.clear();
    stack_.push_back(&root_);
}

void Mirror::add(MirrorNode node) { stack_.back()->children.push_back(std::move(node)); }

void Mirror::open(MirrorNode container) {
    auto& kids = stack_.back()->children;
    kids.push_back(std::move(container));
    stack_.push_back(&kids.back());
}

MirrorNode* Mirror::last() {
    auto& kids = stack_.back()->children;
    return kids.empty() ? nullptr : &kids.back();
}

void Mirror::close() {
    if (stack_.size() > 1) stack_.pop_back();
}

namespace {
nlohmann::json node_json(const MirrorNode& n) {
    nlohmann::json j = nlohmann::json::object();
    j["i"] = n.id;
    j["r"] = to_string(n.role);
    if (!n.label.empty()) j["l"] = n.label;
    if (!n.value.empty()) j["v"] = n.value;
    if (!n.kind.empty()) j["k"] = n.kind;
    if (n.level) j["h"] = n.level;
    if (n.disabled) j["d"] = 1;
    if (n.checked) j["c"] = 1;
    if (n.current) j["a"] = 1;
    if (n.w > 0 && n.h > 0)
        j["b"] = {static_cast<long>(n.x), static_cast<long>(n.y), static_cast<long>(n.w), static_cast<long>(n.h)};
    if (!n.children.empty()) {
        auto& arr = j["n"] = nlohmann::json::array();
        for (const auto& c : n.children) arr.push_back(node_json(c));
    }
    return j;
}

const MirrorNode* find_in(const MirrorNode& n, const std::string& id) {
    if (n.id == id) return &n;
    for (const auto& c : n.children)
        if (const auto* f = find_in(c, id)) return f;
    return nullptr;
}
}  // namespace

std::string Mirror::to_json() const {
    // Invalid UTF-8 (should not happen) is replaced rather than throwing.
    return node_json(root_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const MirrorNode* Mirror::find(const std::string& id) const { return find_in(root_, id); }

std::vector<const MirrorNode*> Mirror::all(Role role) const {
    std::vector<const MirrorNode*> out;
    std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        if (n.role == role) out.push_back(&n);
        for (const auto& c : n.children) walk(c);
    };
    walk(root_);
    return out;
}

std::string Mirror::all_text() const {
    std::string out;
    std::function<void(const MirrorNode&)> walk = [&](const MirrorNode& n) {
        if (!n.label.empty()) out += n.label + "\n";
        if (!n.value.empty() && n.kind != "password") out += n.value + "\n";
        for (const auto& c : n.children) walk(c);
    };
    walk(root_);
    return out;
}

}  // namespace memberdesk::client
