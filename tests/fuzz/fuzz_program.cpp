// libFuzzer: the program-config parser (core parse_program_text), on arbitrary bytes.
// Properties: never crashes/UB (sanitizers); a config that parses round-trips:
//   parse(program_to_json(p)) succeeds and program_to_json of that equals program_to_json(p);
// and the pure consumers of a valid config (describe_rules, build_program_view) do not crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "memberdesk/program.hpp"
#include "memberdesk/views.hpp"

using namespace memberdesk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto p = parse_program_text(text);
    if (!p) {
        // A refused config names what is wrong: a code from the vocabulary (not the catch-all) and a message.
        if (p.error().code == ErrorCode::internal_error || p.error().message.empty()) {
            std::fprintf(stderr, "parse_program_text failed without a specific error: %s: %s\n",
                         to_string(p.error().code), p.error().message.c_str());
            std::abort();
        }
        return 0;
    }
    nlohmann::json once = program_to_json(*p);
    auto again = parse_program(once);
    if (!again) {
        std::fprintf(stderr, "program_to_json output does not parse again: %s: %s\n%s\n", to_string(again.error().code),
                     again.error().message.c_str(), once.dump(2).c_str());
        std::abort();
    }
    nlohmann::json twice = program_to_json(*again);
    if (once != twice) {
        std::fprintf(stderr, "program_to_json does not round-trip\nfirst:  %s\nsecond: %s\n", once.dump().c_str(),
                     twice.dump().c_str());
        std::abort();
    }
    auto rules = describe_rules(*p);
    (void)rules;
    auto view = build_program_view(*p, ZoneRules::fixed("UTC", 0));
    nlohmann::json vj = view;
    (void)vj.dump();
    return 0;
}
