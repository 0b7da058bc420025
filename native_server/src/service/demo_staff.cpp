// Demo stores and staff (--demo): two regions, four stores (the stores the demo members bought
// at) and one account per role, all with the same demo password.
#include "service/crypto.hpp"
#include "service/service.hpp"
#include "service/service_impl.hpp"
#include "storage/store.hpp"

namespace memberdesk::server {

std::vector<nlohmann::json> Service::seed_demo_staff() {
    Impl& im = *impl_;
    const bool empty = im.store->read([](ReadTx& tx) { return tx.regions().empty() && tx.staff_list().empty(); });
    if (!empty) return {};
    const UnixSeconds t = im.clock.now();
    const std::string password = "demo-password";
    const std::string hash = crypto::hash_pin(password, im.opt.kdf_opslimit, im.opt.kdf_memlimit);
    struct Account {
        const char *username, *name, *role, *store, *region;
    };
    const Account accounts[] = {{"clerk", "Li Clerk", "clerk", "store-001", ""},
                                {"manager", "Wang Manager", "store_manager", "store-001", ""},
                                {"region", "Zhao Region", "region_manager", "", "E"},
                                {"hq", "Chen HQ", "hq_admin", "", ""},
                                {"auditor", "Sun Auditor", "auditor", "", ""}};
    std::vector<nlohmann::json> out;
    im.store->write([&](WriteTx& tx) {
        tx.insert_region(RegionRecord{"E", "East 华东", t});
        tx.insert_region(RegionRecord{"W", "West 华西", t});
        tx.insert_store(StoreRecord{"store-001", "Nanjing Road", "E", t});
        tx.insert_store(StoreRecord{"store-002", "Hangzhou West Lake", "E", t});
        tx.insert_store(StoreRecord{"store-003", "Chengdu Taikoo Li", "W", t});
        tx.insert_store(StoreRecord{"store-004", "Chongqing Jiefangbei", "W", t});
        for (const Account& a : accounts) {
            StaffRecord s;
            s.username = a.username;
            s.name = a.name;
            s.role = a.role;
            s.store_id = a.store;
            s.region_id = a.region;
            s.password_hash = hash;
            s.created_at = t;
            tx.insert_staff(s);
            out.push_back({{"username", a.username},
                           {"password", password},
                           {"role", a.role},
                           {"place", std::string(a.store) + a.region}});
        }
    });
    return out;
}

}  // namespace memberdesk::server
