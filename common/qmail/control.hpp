// qmail control files (DESIGN §5): one setting per file, one value per line,
// '#' comments, read once per run, a missing file means the default.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace qauth::qmail {

/// The largest control file read or written (bytes): a file holds a line or
/// a list; anything larger is a mistake.
inline constexpr std::size_t kMaxControlFile = 1u << 20;

/// The control directory: `option` if non-empty, else $QMAIL_CONTROL, else
/// /var/qmail/control.
std::string control_dir_from(std::string_view option);

/// The qmail home directory (conf-qmail; where bin/qmail-queue is and the
/// directory qmail-queue runs in): `option` if non-empty, else $QMAIL_HOME
/// when set and non-empty, else /var/qmail. The same order as
/// control_dir_from(); the two are independent (a test control directory
/// does not move the qmail home).
std::string qmail_home_from(std::string_view option);

class ControlDir;

/// The lines of a control file's text as ControlDir::lines() gives them:
/// comments ('#' to end of line), leading and trailing whitespace and empty
/// lines removed.
std::vector<std::string> control_lines(std::string_view text);

/// The control directory control_dir_from(`option`), which must exist: a
/// missing or mistyped directory is a configuration error naming it (a
/// missing file inside it only means that setting's default).
Result<ControlDir> open_control_dir(std::string_view option);

class ControlDir {
public:
    explicit ControlDir(std::string dir) : dir_(std::move(dir)) {}

    const std::string& dir() const { return dir_; }
    /// `dir()/name`.
    std::string path(std::string_view name) const;

    /// The lines of control file `name` (a path relative to the directory),
    /// with comments ('#' to end of line), trailing whitespace and empty lines
    /// removed. nullopt when the file does not exist; an error naming the file
    /// when it exists but cannot be read.
    Result<std::optional<std::vector<std::string>>> lines(std::string_view name) const;

    /// The first line of `name`, or `fallback` when the file is missing or empty.
    Result<std::string> value(std::string_view name, std::string_view fallback) const;

    /// `name` read as a non-negative integer (first line), `fallback` when
    /// missing; an error naming the file when the value is not a number.
    Result<long> number(std::string_view name, long fallback) const;

private:
    std::string dir_;
};

}  // namespace qauth::qmail
