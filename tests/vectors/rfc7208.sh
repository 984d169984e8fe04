# The RFC 7208 SPF test suite (pyspf's rfc7208-tests.yml, 203 tests), run
# unmodified from the shared test data through spfcheck; the rules of its
# runner are in tests/vectors/rfc7208-suite.py.
. "$(dirname "$0")/../lib.sh"
if need_testdata spf/rfc7208-tests.yml; then
    /usr/bin/python3 "$TOP/tests/vectors/rfc7208-suite.py" "$TESTDATA/spf/rfc7208-tests.yml" "$T"
elif [ -n "$SKIPPING" ]; then  # in CI need_testdata has printed the failure
    skip "rfc7208 suite (203 tests)" "$SKIPPING"
fi
