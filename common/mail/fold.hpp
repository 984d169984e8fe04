// Writing header fields folded at 78 columns with a tab on continuation
// lines (RFC 5322 §2.1.1, §2.2.3; DESIGN §2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qauth::mail {

/// Builds one folded header field from words.
class Folder {
public:
    /// `start`: the text of the first line so far ("Authentication-Results:").
    /// `eol`: the message's line end. `width`: the column limit.
    Folder(std::string_view start, std::string_view eol, std::size_t width = 78);

    /// Appends `word` after a space, or at the start of a new continuation
    /// line when it would not fit. With `glue`, no space is written when the
    /// word stays on the same line (for values that may not hold spaces only
    /// where a fold is allowed, such as h= name lists).
    void word(std::string_view word, bool glue = false);

    /// Appends `text` (a base64 value) filling each line to the limit and
    /// breaking it anywhere.
    void breakable(std::string_view text);

    /// The text so far, without a final line end.
    const std::string& text() const { return out_; }

    /// The finished field, ending with `eol`.
    std::string finish();

private:
    std::string out_;
    std::string eol_;
    std::size_t width_;
    std::size_t col_;
};

}  // namespace qauth::mail
