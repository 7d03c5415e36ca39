// Entry points of the fuzz executables.
//
// SwiftPM links a Linux executable target with `--defsym main=<Target>_main` (so that tests can link the
// executable's code), and a target built with -parse-as-library never emits that symbol: linking fails with
// "undefined symbol 'IngestFuzz_main'". These functions are those symbols; each hands the command line to
// libFuzzer's driver (LLVMFuzzerRunDriver, in the libFuzzer runtime that -sanitize=fuzzer links) with the
// executable's own LLVMFuzzerTestOneInput (written in Swift with @_cdecl). Both are in every fuzz executable;
// the linker's `main` picks the one named after the executable.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int IngestFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

int ReaderFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
