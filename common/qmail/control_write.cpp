#include "qmail/control_write.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic_file.hpp"
#include "util/io.hpp"

namespace qauth::qmail {

Result<void> write_control(const ControlDir& control, std::string_view name, std::string_view content, bool secret) {
    const std::string path = control.path(name);
    struct stat old;
    if (::stat(path.c_str(), &old) == 0) {
        mode_t mode = old.st_mode & 07777;
        if (secret) mode &= ~static_cast<mode_t>(S_IRWXO);
        return io::write_file_atomically(path, content, {mode, &old, true});
    }
    if (errno != ENOENT) return fail(path + ": " + std::strerror(errno));
    return io::write_file_atomically(path, content, {secret ? 0600u : 0644u, nullptr, true});
}

Result<bool> remove_control(const ControlDir& control, std::string_view name) {
    const std::string path = control.path(name);
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT) return false;
        return fail(path + ": cannot remove: " + std::strerror(errno));
    }
    if (auto ok = io::sync_dir(control.dir()); !ok) return std::unexpected(ok.error());
    return true;
}

Result<void> change_setting(const ControlDir& control, const Setting& setting,
                            const std::optional<std::string>& content) {
    auto lock = io::DirLock::acquire(control.dir());
    if (!lock) return std::unexpected(lock.error());
    auto refusal = panel_rule_refusal(control, setting.name, content);
    if (!refusal) return std::unexpected(refusal.error());
    if (*refusal) return usage_error(**refusal);
    if (!content) {
        if (auto gone = remove_control(control, setting.name); !gone) return std::unexpected(gone.error());
        return {};
    }
    return write_control(control, setting.name, *content, setting.secret());
}

Result<void> set_setting(const ControlDir& control, const Setting& setting, const std::string& value,
                         const std::function<void(const std::string&)>& warn) {
    std::string text = value;
    if (setting.multi_line() && value == "-") {
        auto in = io::read_all(0, kMaxControlFile, "standard input");
        if (!in) return std::unexpected(in.error());
        text = std::move(*in);
    } else if (setting.secret()) {
        return usage_error("srs_secrets is read from standard input (set srs_secrets -): "
                           "a command line is visible to every user");
    }
    auto content = check_value(setting, text);
    if (!content) return std::unexpected(content.error());
    if (auto changed = change_setting(control, setting, *content); !changed) return changed;
    if (!setting.env.empty())
        if (const char* env = std::getenv(std::string(setting.env).c_str()); env && *env)
            warn(std::string(setting.env) + " is set here and overrides control/" + std::string(setting.name) +
                 " where it is set");
    return {};
}

}  // namespace qauth::qmail
