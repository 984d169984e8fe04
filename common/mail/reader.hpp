// Streaming message reader (DESIGN §2): the header is held in memory, the
// body is handed on in chunks so that it is never held whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "mail/header.hpp"
#include "util/result.hpp"

namespace qauth::mail {

/// Upper bound on the header block we hold in memory. A header that runs
/// past it is cut at the last line end before the limit, the rest is handed
/// on as body (the message still passes through byte for byte) and
/// Header::truncated says so: the filters then refuse the message or pass it
/// on unsigned (filter/runner.hpp, Stage::oversized).
inline constexpr std::size_t kMaxHeaderBytes = 16u << 20;
/// Upper bound on header lines, for the same reason: each field costs memory
/// beyond its bytes, so a header of a million short lines is cut here.
inline constexpr std::size_t kMaxHeaderLines = 100000;

/// Receives body bytes in arrival order; an error stops the reading.
using BodySink = std::function<Result<void>(std::string_view)>;

class Reader {
public:
    explicit Reader(int fd, std::size_t max_header = kMaxHeaderBytes) : fd_(fd), max_header_(max_header) {}

    /// Reads up to and including the empty line that ends the header (or to
    /// end of input). The line-end convention is that of the first line.
    /// Fails only on a read error, which names standard input (the one input
    /// the programs read a message from).
    Result<Header> read_header();

    /// Passes every remaining byte to `sink`, in chunks of at most 64 KiB.
    /// Call after read_header(). Fails on a read error or a sink error.
    Result<void> read_body(const BodySink& sink);

    /// Input bytes taken so far: 0 before read_header(); after it, those of
    /// the header and its separator line, however far the reader has read
    /// ahead; after read_body(), the whole input. When the input is a file,
    /// its offset before read_header() plus this is where the body starts.
    std::uint64_t consumed() const { return read_ - pending_.size(); }

private:
    int fd_;
    std::size_t max_header_;
    std::uint64_t read_ = 0;  // bytes read from fd_
    std::string pending_;     // bytes read past the header
};

}  // namespace qauth::mail
