// Private to the service: the one way an operation reports an error, and the wrapper that turns
// exceptions escaping it into one (service_busy for a busy database, else internal_error), so the
// HTTP layer always gets a Result.
#pragma once
#include <exception>
#include <string>
#include <utility>

#include "memberdesk/errors.hpp"
#include "storage/store.hpp"

namespace memberdesk::server::detail {

inline Error err(ErrorCode code, std::string message) { return make_error(code, std::move(message)); }

template <class T, class F>
Result<T> guarded(F&& f) {
    try {
        return f();
    } catch (const StoreError& e) {
        if (e.kind() == StoreError::Kind::busy) return err(ErrorCode::service_busy, "the database is busy; try again");
        return err(ErrorCode::internal_error, e.what());
    } catch (const std::exception& e) {
        return err(ErrorCode::internal_error, e.what());
    }
}

}  // namespace memberdesk::server::detail
