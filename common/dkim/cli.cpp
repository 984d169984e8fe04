#include "dkim/cli.hpp"

namespace qauth::cli {

CLI::Option* add_key_type(CLI::App& app, crypto::KeyType& type, const std::string& description) {
    const std::string rsa(crypto::key_type_name(crypto::KeyType::Rsa));
    const std::string ed25519(crypto::key_type_name(crypto::KeyType::Ed25519));
    // The check runs first, so the name is one of the two.
    return app
        .add_option_function<std::string>(
            "--type", [&type](const std::string& v) { type = *crypto::key_type_from_name(v); }, description)
        ->check(CLI::IsMember({rsa, ed25519}));
}

}  // namespace qauth::cli
