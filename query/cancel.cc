#include "query/cancel.h"

namespace blastmap::query {

namespace detail {
thread_local const Cancel* current_cancel = nullptr;
thread_local uint32_t cancel_calls = 0;
}  // namespace detail

CancelScope::CancelScope(const Cancel* cancel) : previous_(detail::current_cancel) {
  detail::current_cancel = cancel;
  detail::cancel_calls = 0;
}

CancelScope::~CancelScope() { detail::current_cancel = previous_; }

const Cancel* CurrentCancel() { return detail::current_cancel; }

}  // namespace blastmap::query
