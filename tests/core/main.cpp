// doctest's main() for core_tests, plus smoke tests of what the build embeds.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <string>

#include "memberdesk/presets.hpp"
#include "memberdesk/version.hpp"
#include "test_tz.hpp"

TEST_CASE("build: core version is set") { CHECK(std::string(memberdesk::version()).size() >= 5); }

TEST_CASE("build: program presets are embedded") {
    const auto names = memberdesk::embedded_preset_names();
    REQUIRE_FALSE(names.empty());
    for (const auto& name : names) {
        CAPTURE(name);
        const auto text = memberdesk::embedded_preset(name);
        CHECK_FALSE(text.empty());
        CHECK(text.data()[text.size()] == '\0');  // NUL-terminated
        CHECK(memberdesk::embedded_preset(name + ".json") == text);
    }
    CHECK(memberdesk::embedded_preset("no-such-preset").empty());
}

TEST_CASE("build: test time zones are embedded as TZif") {
    for (const char* zone : {"Asia/Shanghai", "America/New_York", "Europe/London", "UTC", "Australia/Lord_Howe"}) {
        CAPTURE(zone);
        const auto bytes = test_tzif(zone);
        REQUIRE(bytes.size() > 44);  // TZif header
        CHECK(bytes.substr(0, 4) == "TZif");
    }
    CHECK(test_tzif("Mars/Olympus_Mons").empty());
    CHECK(test_tzif_names().size() == 5);
}
