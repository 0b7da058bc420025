#include "memberdesk/multiplier.hpp"

namespace memberdesk {

std::string format_multiplier(int percent) {
    std::string s = "\xC3\x97" + std::to_string(percent / 100);  // ×
    const int frac = percent % 100;
    if (frac != 0) {
        s += '.';
        s += static_cast<char>('0' + frac / 10);
        if (frac % 10 != 0) s += static_cast<char>('0' + frac % 10);
    }
    return s;
}

Text multiplier_benefit(int percent) {
    const std::string x = format_multiplier(percent);
    return {"积分" + x, x + " points"};
}

}  // namespace memberdesk
