// A one-shot wake-up between two threads on a futex word (Linux): one thread waits until the word
// is set, another sets it and wakes it. Unlike a condition variable signalled under a lock, the
// woken thread does not queue on a lock again, and nothing is locked to hand the value over.
//
// The setter may touch the word after the waiter has already seen it and gone on (even ended the
// object holding it): the wake only passes the word's address to the kernel, which then wakes no
// one, or a later waiter at the same address, which finds its own word unset and waits again (the
// call fails with EFAULT if that memory is gone). Either is harmless.
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <climits>

namespace memberdesk::server {

class WakeWord {
public:
    // Blocks until set() gave a value other than 0; returns it.
    int wait() {
        int v;
        while ((v = word_.load(std::memory_order_acquire)) == 0)
            syscall(SYS_futex, reinterpret_cast<int*>(&word_), FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
        return v;
    }
    // Once per word, with a value other than 0. What the setting thread wrote before set() is seen
    // by the thread that wait() returns on.
    void set(int value) {
        word_.store(value, std::memory_order_release);
        syscall(SYS_futex, reinterpret_cast<int*>(&word_), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
    }

private:
    static_assert(sizeof(std::atomic<int>) == sizeof(int), "a futex word is a plain int");
    std::atomic<int> word_{0};
};

}  // namespace memberdesk::server
