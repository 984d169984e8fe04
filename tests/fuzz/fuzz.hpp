// Fuzz harnesses of qauth's parsers (`make fuzz`, scripts/fuzz).
//
// A harness is one file tests/fuzz/fuzz_NAME.cpp that defines the
// libFuzzer-style entry point
//
//     extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
//
// and, when it needs setup once per process (a zone file, a key), also
//
//     extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
//
// which may take its own leading arguments off argv. tests/fuzz/driver.cpp
// supplies main(): under afl-fuzz (scripts/fuzz) a persistent loop that
// takes the inputs from AFL++'s shared memory, up to 100000 per process;
// built with plain g++ (`make fuzzers`) it runs each FILE argument, or
// stdin, once, so that a crashing input is replayed with
//     build/bin/fuzz_NAME [SETUP-ARGS] crash-file
//
// Because one process runs many inputs, TestOneInput must leave no state
// behind: no static caches or containers that grow, no leaks (the ASan build
// reports them at exit), nothing read from the previous input. Setup that is
// read-only afterwards (a loaded zone) belongs in LLVMFuzzerInitialize.
//
// To add a harness for a new parser (SPF record, DMARC record, SRS address):
//   1. write tests/fuzz/fuzz_NAME.cpp as above, feeding the bytes to the
//      parser the way the program does (and on to what consumes its result,
//      e.g. the Authentication-Results writer), and checking an invariant
//      with abort() where there is one;
//   2. put a few small valid and borderline inputs in tests/fuzz/seeds/NAME/;
//   3. list NAME in `harnesses` in scripts/fuzz (with its setup arguments).
// The Makefile picks up every tests/fuzz/fuzz_*.cpp by itself.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
