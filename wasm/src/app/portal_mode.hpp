// The member portal (`/`): a Mode of the Shell (shell/shell.hpp). Draws the chrome (header and
// navigation, screens/chrome.cpp) and the current screen (screens/<screen>.cpp); turns the
// screens' Actions into API calls, navigation and settings; keeps the URL hash and the document
// title in step with the screen.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "screens/screens.hpp"
#include "shell/shell.hpp"

namespace memberdesk::client {

class PortalMode : public Mode {
public:
    explicit PortalMode(Shell& shell);

    void start() override;  // settings, stored session, route; first requests
    bool update() override;
    const std::vector<StringEntry>& strings() const override;
    float text_scale(float css_w, float css_h) const override;
    void draw(Ui& ui) override;
    void after_frame() override;
    double next_wake() const override;
    void route(const std::string& hash) override;

    UiState& ui_state() { return ui_; }
    void navigate(Screen s);
    // This device keeps a member view and the network is down (the browser says so, or requests
    // get no answer before any live member view arrived): the portal shows the kept view instead
    // of its screens.
    bool offline() const;

private:
    void apply(const Actions& a);
    void load_for(Screen s, bool force);
    void save_settings();
    void update_document();
    CodeFlowUi& flow_ui(CodePurpose p) { return p == CodePurpose::signup ? ui_.sign_up : ui_.pin_reset; }
    bool follow_code_flow();  // moves sign-up / PIN reset on the server's answers
    void check_connection();  // one request that tells whether the server answers

    Shell& shell_;
    Platform& platform_;
    ClientState& state_;
    ApiClient& api_;
    UiState ui_;
    Actions pending_;  // what this frame's screens returned, applied after the frame
    bool had_session_ = false;
    Screen route_after_sign_in_ = Screen::home;
    std::string last_doc_key_;
    std::optional<CodePurpose> awaiting_code_, awaiting_verify_;
    bool was_online_ = true;
    bool was_offline_ = false;  // offline() as of the last update()
    double last_check_ = 0;     // monotonic seconds of the last check_connection()
    bool awaiting_phone_code_ = false, awaiting_phone_change_ = false;  // Profile's change of phone
};

}  // namespace memberdesk::client
