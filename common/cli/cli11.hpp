// CLI11, the option parser of every program. It is header-only and takes
// about 1.5 s of parsing in each file that includes it, so the Makefile
// precompiles this header once per build directory
// ($(BUILD)/pch/cli11.hpp.gch) and passes it with -include to the files
// that use CLI11 (the mains and cli/cli.cpp). Their own
// #include <CLI/CLI.hpp> then costs nothing.

#include <CLI/CLI.hpp>
