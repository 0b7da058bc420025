// The accessibility / test mirror: a semantic tree each screen emits while it draws (headings,
// texts, buttons, inputs, ...), with stable ids. The web glue turns it into hidden-but-accessible
// DOM elements (screen readers and browser tests use those); activating a mirrored button or typing
// into a mirrored input comes back as a MirrorEvent that the same widget handles on the next frame.
// Platform-neutral: no ImGui, no DOM here.
#pragma once
#include <string>
#include <vector>

namespace memberdesk::client {

enum class Role {
    root,
    region,    // a landmark section (<section aria-label>); `label` names it
    nav,       // navigation landmark
    heading,   // <hN>, `level` 1..3
    text,      // <p>
    button,    // <button>
    input,     // <input>; `kind` text | password | tel | number | multiline
    choice,    // radio group: children are `option`
    option,    // radio in a choice; `checked`
    list,      // <ul>
    item,      // <li>
    status,    // polite live region (loading, results)
    alert,     // assertive live region (errors)
    image,     // role=img with `label` as the text alternative (QR, chart)
    progress,  // role=progressbar, `value` = 0..100
    dialog,    // modal confirmation (role=dialog, aria-modal)
};
const char* to_string(Role r);

struct MirrorNode {
    std::string id;  // stable, dotted: "home.balance", "rewards.redeem.r1"
    Role role = Role::text;
    std::string label;  // visible text / accessible name
    std::string value;  // input value (never for password), progress value, text detail
    std::string kind;   // input kind; heading: unused
    int level = 0;      // heading level
    bool disabled = false;
    bool checked = false;
    bool current = false;  // aria-current (the active nav entry)
    std::vector<MirrorNode> children;
    // Where a control is drawn, in canvas pixels (w == 0: not on screen). The web glue turns it into
    // data-rect (CSS pixels), so tests can also tap and click the canvas itself.
    float x = 0, y = 0, w = 0, h = 0;
};

struct MirrorEvent {
    enum class Kind { click, input, focus, blur };
    Kind kind = Kind::click;
    std::string id;
    std::string value;  // input: the new full value
};

class Mirror {
public:
    Mirror();
    void clear();                     // start of a frame
    void add(MirrorNode node);        // leaf (or prebuilt subtree) into the open container
    void open(MirrorNode container);  // following adds go inside until close()
    void close();
    const MirrorNode& root() const { return root_; }
    MirrorNode* last();  // the node added last to the open container (or null)

    // Compact JSON for the DOM glue: {"i":id,"r":role,"l":label,"v":value,"k":kind,"h":level,
    // "d":1,"c":1,"a":1,"b":[x,y,w,h],"n":[children]} with empty fields left out.
    std::string to_json() const;

    // Queries (tests, and the web glue's focus handling).
    const MirrorNode* find(const std::string& id) const;
    std::vector<const MirrorNode*> all(Role role) const;
    std::string all_text() const;  // every label and value, one per line (for "shows X" checks)

private:
    MirrorNode root_;
    std::vector<MirrorNode*> stack_;
};

}  // namespace memberdesk::client
