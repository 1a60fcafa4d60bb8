# Installed as /etc/profile.d/okuri.sh: every staff account uses the city's current policy,
# distributed by the CISO's office to /etc/okuri/policy.toml.
if [ -r /etc/okuri/policy.toml ]; then
    export OKURI_POLICY=/etc/okuri/policy.toml
fi
