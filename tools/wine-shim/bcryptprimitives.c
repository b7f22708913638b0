/* Test-only shim for running hnsdoctor.exe under wine 8, which lacks bcryptprimitives.dll.
 * Rust's std calls ProcessPrng from it; forward to advapi32!SystemFunction036 (RtlGenRandom).
 * Never shipped: only .ci/run and tests/wine.sh build it next to the .exe. */
#include <windows.h>
typedef BOOLEAN(WINAPI *rtl_gen_random_fn)(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static rtl_gen_random_fn gen;
    if (!gen) gen = (rtl_gen_random_fn)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
    if (!gen) return FALSE;
    while (len) {
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!gen(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
