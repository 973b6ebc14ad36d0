// The header is usable from C++ (tests/ffi_c_program.rs compiles this with -Werror).
#include "meeting_migration.h"

static_assert(MMS_STATUS_PANIC == 1, "status numbers are fixed");
static_assert(MMS_STATUS_NO_DEFAULT_TENANT == 25, "status numbers are fixed");

int main() {
    mms_progress_fn progress = nullptr;
    (void)progress;
    return mms_abi_version() == MMS_ABI_VERSION ? 0 : 1;
}
