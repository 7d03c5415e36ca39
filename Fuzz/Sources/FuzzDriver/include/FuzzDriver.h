// Nothing for Swift to call: this target only supplies the fuzz executables' entry points (driver.c).
#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H
#endif
