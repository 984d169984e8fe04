#include "mail/fold.hpp"

namespace qauth::mail {

Folder::Folder(std::string_view start, std::string_view eol, std::size_t width)
    : out_(start), eol_(eol), width_(width), col_(start.size()) {}

void Folder::word(std::string_view word, bool glue) {
    std::size_t need = word.size() + (glue ? 0 : 1);
    if (col_ + need > width_ && col_ > 1) {
        out_ += eol_;
        out_ += '\t';
        col_ = 8;  // a tab counts as reaching the next tab stop
    } else if (!glue) {
        out_ += ' ';
        ++col_;
    }
    out_ += word;
    col_ += word.size();
}

void Folder::breakable(std::string_view text) {
    while (!text.empty()) {
        std::size_t room = col_ < width_ ? width_ - col_ : 0;
        if (room == 0) {
            out_ += eol_;
            out_ += '\t';
            col_ = 8;
            continue;
        }
        std::string_view part = text.substr(0, room);
        out_ += part;
        col_ += part.size();
        text.remove_prefix(part.size());
    }
}

std::string Folder::finish() {
    out_ += eol_;
    return std::move(out_);
}

}  // namespace qauth::mail
