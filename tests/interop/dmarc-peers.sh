# dmarccheck against the peer implementations, OpenDMARC (opendmarc -t, its
# test mode) and authheaders (python3-authheaders, its library API with an
# offline lookup function: tests/interop/authheaders-dmarc.py), on the same
# _dmarc records: dmarccheck reads them with --dns-zone, authheaders through
# its dnsfunc from the same zone, OpenDMARC through the system resolver
# inside dns_private (tests/lib-dns.sh: NSD on 127.0.0.1:53 in a private
# network and mount namespace).
#
# Every implementation gets the SPF and DKIM results as our own
# Authentication-Results field (authserv-id mx.test) at the top of the
# message, so that nothing but DMARC is computed. OpenDMARC is told to
# trust that field (TrustedAuthservIDs, SPFIgnoreResults false,
# SPFSelfValidate false) and runs twice: without RejectFailures for the
# field it writes, and with RejectFailures and HoldQuarantinedMessages for
# the disposition (a rejected message gets no field, only a 550 reply).
# Both peers follow RFC 7489, so the expected answers are RFC 7489's, which
# dmarccheck gives with --discovery psl; its default RFC 9989 mode must give
# the same unless a W line lists its answer and why.
#
# The cases below are the contract. Each C line is one test: dmarccheck
# must give the expected answer (RESULT p=POLICY dis=DISPOSITION: the
# dmarc= word, the applicable policy of the "(p= dis=)" comment, which must
# equal policy.dmarc=, and the disposition when enforcing, "reject" for a
# refusal), in both modes, and, where the field has smtp.mailfrom=DOMAIN,
# also with smtp.mailfrom=postmaster@DOMAIN (RFC 8601 2.2: a pvalue may be
# an address or a domain). Each peer must give the expected answer or the
# one a D line lists for it, with the RFC section that decides the case and
# why the peer is wrong: an unexplained disagreement fails, and so does an
# explained one that went away. OpenDMARC's answer is RESULT p=POLICY
# dis=DISPOSITION; "no-field" when it wrote no Authentication-Results.
# authheaders' answer is RESULT p=POLICY (its policy.dmarc=; it has no
# disposition); "crash p=EXCEPTION" when it raised. A B line marks a known
# bug of dmarccheck: the case stays a failure until it is fixed.
#
#   Z | zone-file line (absolute names)
#   C | NAME | From field (- for none) | results after "mx.test; " | RESULT | POLICY | DIS
#   D | NAME | PEER | ANSWER | why (RFC section)
#   W | NAME | dmarccheck's answer in RFC 9989 mode | why (RFC 9989 section)
#   B | NAME | dmarccheck's answer | why
#   M | NAME: authheaders gets the message as written (it gets smtp.mailfrom=
#       postmaster@DOMAIN for smtp.mailfrom=DOMAIN elsewhere, see below)
#
# Where the peers are wrong per the RFC (the D lines, in short):
#   - OpenDMARC ignores an spf= result whose smtp.mailfrom is an address
#     (RFC 8601 2.2, 2.7.2: address or domain);
#   - OpenDMARC does not implement np= (RFC 9091 4): a non-existent
#     subdomain gets sp=;
#   - OpenDMARC: a p=reject message outside the pct= sample gets dis=none,
#     RFC 7489 6.6.4 says quarantine;
#   - OpenDMARC aligns a d= or SPF domain below the From domain in strict
#     mode, and in relaxed mode a d= that is a public suffix above it (com,
#     co.uk) (RFC 7489 3.1.1, 3.1.2, 3.2);
#   - OpenDMARC reads only the first TXT record at _dmarc: two v=DMARC1
#     records are not "no policy", and a v=DMARC1 record behind another
#     TXT record is not found (RFC 7489 6.6.3 steps 4-6);
#   - OpenDMARC: a record without a valid p= is permerror, with or without
#     rua= (RFC 7489 6.6.3: p=none with a valid rua=, else no DMARC);
#   - OpenDMARC: no From field gets no result at all (RFC 7489 6.6.1: the
#     message is not valid; dmarccheck says permerror);
#   - authheaders cuts the From and smtp.mailfrom domains at the first
#     character outside [a-z0-9.], a hyphen (RFC 1035 2.3.1, RFC 5321
#     4.1.2: LDH labels), so my-org.com is looked up as "my";
#   - authheaders reads only the first dkim= result of the field (RFC 7489
#     4.2, 6.6.2: any aligned DKIM pass passes);
#   - authheaders: a record without p= but with rua= is dmarc=none, one
#     with an invalid p= and rua= reports that p= (RFC 7489 6.6.3: act as
#     p=none);
#   - authheaders applies sp= to the domain that publishes the record
#     (RFC 7489 6.3: sp= is for its subdomains);
#   - authheaders crashes (IndexError) on smtp.mailfrom=DOMAIN, the form
#     RFC 8601 2.7.2 recommends: it gets postmaster@DOMAIN in every case
#     but one;
#   - authheaders crashes (UnboundLocalError) on a message without From.
#
# One dns_private namespace for OpenDMARC, one process for authheaders, a
# few dmarccheck runs per case: a few seconds in all. A peer that is not
# installed (scripts/install-deps installs them) is a skip for its part of
# each case, with a note, and a failure in CI (CI=true or
# QAUTH_REQUIRE_TESTDATA=1). Needs root (dns_private).
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
HERE=$(cd "$(dirname "$0")" && pwd)
. "$TOP/tests/lib-dns.sh"
. "$HERE/peers.bash"

cat >"$T/spec" <<'EOF'
# --- the policies ------------------------------------------------------------------
Z | rej.com.              A    192.0.2.1
Z | _dmarc.rej.com.       TXT  "v=DMARC1; p=reject"
Z | sub.rej.com.          A    192.0.2.1
Z | quar.com.             A    192.0.2.1
Z | _dmarc.quar.com.      TXT  "v=DMARC1; p=quarantine"
Z | none.com.             A    192.0.2.1
Z | _dmarc.none.com.      TXT  "v=DMARC1; p=none"
Z | sp.com.               A    192.0.2.1
Z | _dmarc.sp.com.        TXT  "v=DMARC1; p=reject; sp=quarantine; np=none"
Z | sub.sp.com.           A    192.0.2.1
Z | spnone.com.           A    192.0.2.1
Z | _dmarc.spnone.com.    TXT  "v=DMARC1; p=reject; sp=none"
Z | sub.spnone.com.       A    192.0.2.1
Z | strict.com.           A    192.0.2.1
Z | _dmarc.strict.com.    TXT  "v=DMARC1; p=reject; adkim=s; aspf=s"
Z | mail.strict.com.      A    192.0.2.1
Z | sspf.com.             A    192.0.2.1
Z | _dmarc.sspf.com.      TXT  "v=DMARC1; p=quarantine; aspf=s"
Z | tagcase.com.          A    192.0.2.1
Z | _dmarc.tagcase.com.   TXT  "v=DMARC1 ; P=Reject ; ADKIM=s"
Z | nodmarc.com.          A    192.0.2.1
Z | other.net.            A    192.0.2.1
Z | my-org.com.           A    192.0.2.1
Z | _dmarc.my-org.com.    TXT  "v=DMARC1; p=reject"
Z | shop.co.uk.           A    192.0.2.1
Z | _dmarc.shop.co.uk.    TXT  "v=DMARC1; p=reject"
Z | mail.shop.co.uk.      A    192.0.2.1
Z | other.co.uk.          A    192.0.2.1
Z | deep.com.             A    192.0.2.1
Z | _dmarc.deep.com.      TXT  "v=DMARC1; p=quarantine"
Z | a.b.c.deep.com.       A    192.0.2.1

# --- p= none, quarantine, reject: aligned SPF, aligned DKIM, both, neither ----------
C | rej-spf-pass        | a@rej.com | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
C | rej-spf-fail        | a@rej.com | spf=fail smtp.mailfrom=rej.com; dkim=none | fail | reject | reject
C | rej-spf-softfail    | a@rej.com | spf=softfail smtp.mailfrom=rej.com; dkim=none | fail | reject | reject
C | rej-spf-unaligned   | a@rej.com | spf=pass smtp.mailfrom=other.net; dkim=none | fail | reject | reject
C | rej-spf-sub         | a@rej.com | spf=pass smtp.mailfrom=bounce.rej.com; dkim=none | pass | reject | none
C | rej-dkim-pass       | a@rej.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=rej.com | pass | reject | none
C | rej-dkim-fail       | a@rej.com | spf=none smtp.mailfrom=other.net; dkim=fail header.d=rej.com | fail | reject | reject
C | rej-dkim-sub        | a@rej.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=sub.rej.com | pass | reject | none
C | rej-dkim-unrelated  | a@rej.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=other.net | fail | reject | reject
C | rej-dkim-suffix     | a@rej.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=com | fail | reject | reject
D | rej-dkim-suffix     | opendmarc | pass p=reject dis=none | RFC 7489 3.1.1, 3.2: relaxed alignment needs the same Organizational Domain, and that of d=com is com (a public suffix), not rej.com; OpenDMARC aligns any d= the From domain ends in
C | rej-both            | a@rej.com | spf=pass smtp.mailfrom=rej.com; dkim=pass header.d=rej.com | pass | reject | none
C | rej-neither         | a@rej.com | spf=none smtp.mailfrom=rej.com; dkim=none | fail | reject | reject
C | rej-dkim-second     | a@rej.com | spf=fail smtp.mailfrom=rej.com; dkim=pass header.d=other.net; dkim=pass header.d=rej.com | pass | reject | none
D | rej-dkim-second     | authheaders | fail p=reject | RFC 7489 4.2, 6.6.2: DMARC passes when any DKIM-authenticated identifier is aligned; authheaders reads only the first dkim= result of the field (d=other.net)
C | rej-dkim-fail-first | a@rej.com | spf=fail smtp.mailfrom=rej.com; dkim=fail header.d=rej.com; dkim=pass header.d=rej.com | pass | reject | none
D | rej-dkim-fail-first | authheaders | fail p=reject | RFC 7489 4.2, 6.6.2: any aligned DKIM pass passes; authheaders reads only the first dkim= result of the field (a fail)
C | quar-spf-pass       | a@quar.com | spf=pass smtp.mailfrom=quar.com; dkim=none | pass | quarantine | none
C | quar-fail           | a@quar.com | spf=fail smtp.mailfrom=quar.com; dkim=none | fail | quarantine | quarantine
C | quar-dkim-pass      | a@quar.com | spf=fail smtp.mailfrom=quar.com; dkim=pass header.d=quar.com | pass | quarantine | none
C | none-fail           | a@none.com | spf=fail smtp.mailfrom=none.com; dkim=none | fail | none | none
C | none-pass           | a@none.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=none.com | pass | none | none
C | nodmarc             | a@nodmarc.com | spf=pass smtp.mailfrom=nodmarc.com; dkim=pass header.d=nodmarc.com | none | - | -

# --- the From domain: subdomains (sp=, np=), case, trailing dot ------------------------
C | sub-parent-dkim     | a@sub.rej.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=rej.com | pass | reject | none
C | sub-parent-spf      | a@sub.rej.com | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
C | sub-no-sp           | a@sub.rej.com | spf=fail smtp.mailfrom=sub.rej.com; dkim=none | fail | reject | reject
C | sub-sp-quarantine   | a@sub.sp.com | spf=fail smtp.mailfrom=sub.sp.com; dkim=none | fail | quarantine | quarantine
C | sub-sp-none         | a@sub.spnone.com | spf=fail smtp.mailfrom=sub.spnone.com; dkim=none | fail | none | none
C | org-with-sp         | a@sp.com | spf=fail smtp.mailfrom=sp.com; dkim=none | fail | reject | reject
D | org-with-sp         | authheaders | fail p=quarantine | RFC 7489 6.3, 6.6.3: sp= is the policy for subdomains; for mail from the domain that publishes the record p= applies; authheaders applies sp= to sp.com itself
C | nx-np-none          | a@nx.sp.com | spf=fail smtp.mailfrom=nx.sp.com; dkim=none | fail | none | none
D | nx-np-none          | opendmarc | fail p=quarantine dis=quarantine | RFC 9091 4 (np=, kept by RFC 9989 4.7): a non-existent subdomain gets np=; OpenDMARC 1.4 does not implement np= and applies sp=
C | nx-no-np            | a@nx.rej.com | spf=fail smtp.mailfrom=nx.rej.com; dkim=none | fail | reject | reject
C | nx-np-pass          | a@nx.sp.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=sp.com | pass | none | none
D | nx-np-pass          | opendmarc | pass p=quarantine dis=none | RFC 9091 4: the applicable policy of a non-existent subdomain is np= (none); OpenDMARC 1.4 does not implement np= and reports sp=
Z | txt.sp.com.           TXT  "not an address"
Z | x.ent.sp.com.         A    192.0.2.1
C | txt-only-np         | a@txt.sp.com | spf=fail smtp.mailfrom=txt.sp.com; dkim=none | fail | none | none
W | txt-only-np         | fail p=quarantine dis=quarantine | RFC 9989 takes RFC 8020's non-existent domain (NXDOMAIN); txt.sp.com has a TXT record, so it exists and gets sp=; RFC 9091 2.7: no A, AAAA and MX records make it non-existent (np=)
D | txt-only-np         | opendmarc | fail p=quarantine dis=quarantine | RFC 9091 2.7, 4: a name without A, AAAA and MX records is non-existent and gets np=; OpenDMARC 1.4 does not implement np= and applies sp=
C | ent-np              | a@ent.sp.com | spf=fail smtp.mailfrom=ent.sp.com; dkim=none | fail | none | none
W | ent-np              | fail p=quarantine dis=quarantine | RFC 9989 after RFC 8020: ent.sp.com has a name below it, so its queries are no data, not NXDOMAIN: it exists and gets sp=; RFC 9091 2.7 counts no data for A, AAAA and MX as non-existent (np=)
D | ent-np              | opendmarc | fail p=quarantine dis=quarantine | RFC 9091 2.7, 4: no A, AAAA and MX records is non-existent, np=; OpenDMARC 1.4 does not implement np= and applies sp=
C | deep-sub            | a@a.b.c.deep.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=deep.com | pass | quarantine | none
C | deep-sub-fail       | a@a.b.c.deep.com | spf=pass smtp.mailfrom=other.net; dkim=pass header.d=b.other.net | fail | quarantine | quarantine
C | upper-from          | a@REJ.COM | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
C | upper-ids           | a@rej.com | spf=pass smtp.mailfrom=REJ.COM; dkim=pass header.d=Sub.Rej.Com | pass | reject | none
C | upper-from-fail     | A@Rej.Com | spf=fail smtp.mailfrom=rej.com; dkim=none | fail | reject | reject
C | trailing-dot        | a@rej.com. | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
C | trailing-dot-fail   | a@rej.com. | spf=fail smtp.mailfrom=rej.com; dkim=none | fail | reject | reject
C | display-name        | "Rej, Alice" <alice@rej.com> | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
C | hyphen-pass         | a@my-org.com | spf=pass smtp.mailfrom=my-org.com; dkim=none | pass | reject | none
D | hyphen-pass         | authheaders | none p=- | RFC 1035 2.3.1 and RFC 5321 4.1.2: labels are letters, digits and hyphens; authheaders takes the domain as the longest run of [a-z0-9.] after "@" and asks _dmarc.my
C | hyphen-fail         | a@my-org.com | spf=fail smtp.mailfrom=my-org.com; dkim=none | fail | reject | reject
D | hyphen-fail         | authheaders | none p=- | RFC 1035 2.3.1, RFC 5321 4.1.2: my-org.com is one label "my-org" under com; authheaders cuts the From domain at the hyphen, finds no record at _dmarc.my, and the p=reject of my-org.com is lost
C | hyphen-dkim         | a@my-org.com | spf=none smtp.mailfrom=other.net; dkim=pass header.d=my-org.com | pass | reject | none
D | hyphen-dkim         | authheaders | none p=- | RFC 1035 2.3.1, RFC 5321 4.1.2: LDH labels; authheaders cuts the From domain at the hyphen (see hyphen-fail)
C | no-from             | - | spf=pass smtp.mailfrom=rej.com; dkim=pass header.d=rej.com | permerror | - | reject
D | no-from             | opendmarc | no-field p=- dis=- | RFC 7489 6.6.1 (RFC 5322 3.6: exactly one From field): a message without From cannot be evaluated; dmarccheck reports permerror and refuses when enforcing, OpenDMARC writes no result at all
D | no-from             | authheaders | crash p=UnboundLocalError | RFC 7489 6.6.1: no From is a message DMARC cannot evaluate, an answer (permerror) rather than a crash; authenticate_message() raises UnboundLocalError (check_dmarc's from_domain is never set)

# --- alignment modes ----------------------------------------------------------------------
C | strict-dkim-exact   | a@strict.com | spf=fail smtp.mailfrom=strict.com; dkim=pass header.d=strict.com | pass | reject | none
C | strict-dkim-sub     | a@strict.com | spf=fail smtp.mailfrom=strict.com; dkim=pass header.d=sub.strict.com | fail | reject | reject
D | strict-dkim-sub     | opendmarc | pass p=reject dis=none | RFC 7489 3.1.1: in strict mode "only an exact match" of d= and the From domain aligns; OpenDMARC passes d=sub.strict.com for From strict.com
C | strict-dkim-parent  | a@mail.strict.com | spf=fail smtp.mailfrom=strict.com; dkim=pass header.d=strict.com | fail | reject | reject
C | strict-spf-exact    | a@mail.strict.com | spf=pass smtp.mailfrom=mail.strict.com; dkim=none | pass | reject | none
C | strict-spf-parent   | a@mail.strict.com | spf=pass smtp.mailfrom=strict.com; dkim=none | fail | reject | reject
C | sspf-dkim-relaxed   | a@sspf.com | spf=pass smtp.mailfrom=bounce.sspf.com; dkim=pass header.d=d.sspf.com | pass | quarantine | none
C | sspf-spf-only       | a@sspf.com | spf=pass smtp.mailfrom=bounce.sspf.com; dkim=none | fail | quarantine | quarantine
D | sspf-spf-only       | opendmarc | pass p=quarantine dis=none | RFC 7489 3.1.2: with aspf=s the SPF domain must equal the From domain; OpenDMARC passes smtp.mailfrom=bounce.sspf.com for From sspf.com
C | tagcase-strict      | a@tagcase.com | spf=fail smtp.mailfrom=tagcase.com; dkim=pass header.d=sub.tagcase.com | fail | reject | reject
D | tagcase-strict      | opendmarc | pass p=reject dis=none | RFC 7489 3.1.1: adkim=s (here ADKIM=s; tags are case-insensitive, 6.4) aligns only an exact d=; OpenDMARC passes d=sub.tagcase.com
C | tagcase-exact       | a@tagcase.com | spf=fail smtp.mailfrom=tagcase.com; dkim=pass header.d=tagcase.com | pass | reject | none

# --- multi-label public suffixes (co.uk) -------------------------------------------------
C | couk-parent         | a@mail.shop.co.uk | spf=none smtp.mailfrom=other.net; dkim=pass header.d=shop.co.uk | pass | reject | none
C | couk-sibling        | a@shop.co.uk | spf=pass smtp.mailfrom=other.co.uk; dkim=pass header.d=other.co.uk | fail | reject | reject
C | couk-suffix         | a@shop.co.uk | spf=none smtp.mailfrom=other.net; dkim=pass header.d=co.uk | fail | reject | reject
D | couk-suffix         | opendmarc | pass p=reject dis=none | RFC 7489 3.1.1, 3.2: the Organizational Domain of d=co.uk is co.uk (a public suffix), not shop.co.uk; OpenDMARC aligns any d= the From domain ends in
C | couk-spf-sub        | a@shop.co.uk | spf=pass smtp.mailfrom=bounce.mail.shop.co.uk; dkim=none | pass | reject | none

# --- records that are no policy, or read leniently -------------------------------------------
Z | lower.com.            A    192.0.2.1
Z | _dmarc.lower.com.     TXT  "v=dmarc1; p=reject"
C | lowercase-v         | a@lower.com | spf=fail smtp.mailfrom=lower.com; dkim=none | none | - | -
Z | two.com.              A    192.0.2.1
Z | _dmarc.two.com.       TXT  "v=DMARC1; p=reject"
Z | _dmarc.two.com.       TXT  "v=DMARC1; p=none"
C | two-records         | a@two.com | spf=fail smtp.mailfrom=two.com; dkim=none | none | - | -
D | two-records         | opendmarc | fail p=reject dis=reject | RFC 7489 6.6.3 steps 5-6: several v=DMARC1 records at one name mean no policy ("DMARC processing is not applied"); OpenDMARC uses the first
Z | notdmarc.com.         A    192.0.2.1
Z | _dmarc.notdmarc.com.  TXT  "v=spf1 -all"
Z | _dmarc.notdmarc.com.  TXT  "v=DMARC1; p=reject"
C | other-txt-too       | a@notdmarc.com | spf=fail smtp.mailfrom=notdmarc.com; dkim=none | fail | reject | reject
D | other-txt-too       | opendmarc | none p=- dis=- | RFC 7489 6.6.3 step 4: TXT records that do not start with v=DMARC1 are discarded and the one DMARC record is used; OpenDMARC reads only the first TXT record of the answer (NSD serves them in zone order: the v=spf1 one), so the order decides
Z | split.com.            A    192.0.2.1
Z | _dmarc.split.com.     TXT  "v=DMARC1; " "p=quarantine"
C | split-strings       | a@split.com | spf=fail smtp.mailfrom=split.com; dkim=none | fail | quarantine | quarantine
Z | rua.com.              A    192.0.2.1
Z | _dmarc.rua.com.       TXT  "v=DMARC1; rua=mailto:dmarc@rua.com"
C | no-p-rua-fail       | a@rua.com | spf=fail smtp.mailfrom=rua.com; dkim=none | fail | none | none
D | no-p-rua-fail       | opendmarc | permerror p=- dis=- | RFC 7489 6.6.3: a record without a valid p= but with a valid rua= URI is read as p=none ("SHOULD act as if a record containing ... p=none was retrieved"); OpenDMARC says permerror
D | no-p-rua-fail       | authheaders | none p=- | RFC 7489 6.6.3: without p= but with a valid rua= the record counts as p=none; authheaders drops it (dmarc=none)
C | no-p-rua-pass       | a@rua.com | spf=pass smtp.mailfrom=rua.com; dkim=none | pass | none | none
D | no-p-rua-pass       | opendmarc | permerror p=- dis=- | RFC 7489 6.6.3: no p= with a valid rua= is p=none; OpenDMARC says permerror
D | no-p-rua-pass       | authheaders | none p=- | RFC 7489 6.6.3: no p= with a valid rua= is p=none; authheaders drops the record
Z | norua.com.            A    192.0.2.1
Z | _dmarc.norua.com.     TXT  "v=DMARC1; sp=reject"
C | no-p-no-rua         | a@norua.com | spf=fail smtp.mailfrom=norua.com; dkim=none | none | - | -
W | no-p-no-rua         | fail p=none dis=none | RFC 9989 4.7: p= is optional and a missing p= means none, with or without rua=
D | no-p-no-rua         | opendmarc | permerror p=- dis=- | RFC 7489 6.6.3: a record without p= and without rua= means "no DMARC processing" (dmarc=none); OpenDMARC says permerror
Z | badp.com.             A    192.0.2.1
Z | _dmarc.badp.com.      TXT  "v=DMARC1; p=bogus; rua=mailto:dmarc@badp.com"
C | bad-p-rua           | a@badp.com | spf=fail smtp.mailfrom=badp.com; dkim=none | fail | none | none
D | bad-p-rua           | opendmarc | permerror p=- dis=- | RFC 7489 6.6.3: a record whose p= is not valid but with a valid rua= URI is read as p=none; OpenDMARC says permerror
D | bad-p-rua           | authheaders | fail p=bogus | RFC 7489 6.3 (p= is none, quarantine or reject) and 6.6.3: an invalid p= with a valid rua= means p=none; authheaders reports the invalid value as the policy

# --- pct= (RFC 7489 6.6.4) and t= (RFC 9989) --------------------------------------------------
Z | pctz.com.             A    192.0.2.1
Z | _dmarc.pctz.com.      TXT  "v=DMARC1; p=reject; pct=0"
C | pct0-reject         | a@pctz.com | spf=fail smtp.mailfrom=pctz.com; dkim=none | fail | reject | quarantine
W | pct0-reject         | fail p=reject dis=reject | RFC 9989 4.7: pct= is no longer a tag (ignored), t=y took its place
D | pct0-reject         | opendmarc | fail p=reject dis=none | RFC 7489 6.6.4: a p=reject message outside the pct= sample "SHOULD [be treated] as though the quarantine policy applies"; OpenDMARC delivers it as p=none
Z | pctq.com.             A    192.0.2.1
Z | _dmarc.pctq.com.      TXT  "v=DMARC1; p=quarantine; pct=0"
C | pct0-quarantine     | a@pctq.com | spf=fail smtp.mailfrom=pctq.com; dkim=none | fail | quarantine | none
W | pct0-quarantine     | fail p=quarantine dis=quarantine | RFC 9989 4.7: pct= is no longer a tag (ignored)
Z | pcth.com.             A    192.0.2.1
Z | _dmarc.pcth.com.      TXT  "v=DMARC1; p=reject; pct=100"
C | pct100              | a@pcth.com | spf=fail smtp.mailfrom=pcth.com; dkim=none | fail | reject | reject
Z | testy.com.            A    192.0.2.1
Z | _dmarc.testy.com.     TXT  "v=DMARC1; p=reject; t=y"
C | testing-t           | a@testy.com | spf=fail smtp.mailfrom=testy.com; dkim=none | fail | reject | reject
W | testing-t           | fail p=reject dis=quarantine | RFC 9989 4.7: t=y is testing mode, the next lower policy applies (RFC 7489 has no t=)

# --- smtp.mailfrom as an address (RFC 8601 2.2) ------------------------------------------------
C | mailfrom-address    | a@rej.com | spf=pass smtp.mailfrom=bounce@rej.com; dkim=none | pass | reject | none
D | mailfrom-address    | opendmarc | fail p=reject dis=reject | RFC 8601 2.2 (pvalue = [[local-part] "@"] domain-name) and 2.7.2: smtp.mailfrom may be the whole address; OpenDMARC ignores an spf= result whose smtp.mailfrom has a local-part
C | mailfrom-address-sub | a@sub.rej.com | spf=pass smtp.mailfrom=x.y@bounce.rej.com; dkim=none | pass | reject | none
D | mailfrom-address-sub | opendmarc | fail p=reject dis=reject | RFC 8601 2.2, 2.7.2: smtp.mailfrom may be the whole address; OpenDMARC ignores it
# authheaders gets every case with smtp.mailfrom=postmaster@DOMAIN, the form
# it reads; an M line gives it the message as written (a domain).
C | mailfrom-domain-form | a@rej.com | spf=pass smtp.mailfrom=rej.com; dkim=none | pass | reject | none
M | mailfrom-domain-form
D | mailfrom-domain-form | authheaders | crash p=IndexError | RFC 8601 2.2, 2.7.2: smtp.mailfrom is the domain (the form RFC 8601 2.7.2 recommends) or the address; authheaders looks for the "@" and raises IndexError on the domain form
EOF


# --- the zone, the messages, the cases -----------------------------------------------
{ printf '$TTL 60\n'; spec Z | tr '|' ' '; } >"$T/peers.zone"
mkdir -p "$T/msg" "$T/od" "$T/ctl" && echo mx.test >"$T/ctl/me"
spec C >"$T/cases"
ncases=$(wc -l <"$T/cases")
check_spec 40 "D W B M" D 'opendmarc|authheaders'

# message NAME FROM RESULTS: the case's message, our A-R field on top.
message() {
    printf 'Authentication-Results: mx.test; %s\n' "$3"
    [ "$2" = - ] || printf 'From: %s\n' "$2"
    printf 'To: b@rcpt.test\nSubject: case %s\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <%s@peers.test>\n\nbody\n' "$1" "$1"
}
declare -A as_written
while read -r name; do as_written[$name]=1; done < <(spec M)
while IFS='|' read -r name from results _; do
    message "$name" "$from" "$results" >"$T/msg/$name"
    # The same with smtp.mailfrom=postmaster@DOMAIN, for dmarccheck.
    mf=$(sed -nE 's/.*smtp\.mailfrom=([^;@ ]+)(;|$).*/\1/p' <<<"$results")
    if [ -n "$mf" ]; then
        message "$name" "$from" "${results/smtp.mailfrom=$mf/smtp.mailfrom=postmaster@$mf}" >"$T/msg/$name.addr"
    fi
    # authheaders gets the address form (see the M lines).
    m=$T/msg/$name; [ -f "$m.addr" ] && [ -z "${as_written[$name]:-}" ] && m=$m.addr
    printf '%s\t%s\n' "$name" "$m" >>"$T/msgs"
done <"$T/cases"

# --- the peers ---------------------------------------------------------------------------
have_peer opendmarc test -x /usr/sbin/opendmarc
have_peer authheaders /usr/bin/python3 -c 'import authheaders'

declare -A res
start=$EPOCHREALTIME
if [[ " $peers " == *" authheaders "* ]]; then
    ldns-read-zone "$T/peers.zone" >"$T/peers.rr" 2>"$T/authheaders.err" &&
        /usr/bin/python3 "$HERE/authheaders-dmarc.py" "$T/peers.rr" mx.test <"$T/msgs" >"$T/authheaders.out" 2>>"$T/authheaders.err"
    [ -s "$T/authheaders.out" ] || not_ok "peer authheaders answered" "$(head -c 400 "$T/authheaders.err")"
    while IFS=$'\t' read -r name r p; do res[authheaders,$name]="$r p=$p"; done <"$T/authheaders.out"
fi
if [[ " $peers " == *" opendmarc "* ]]; then
    if dns_start "$T/peers.zone" 2>"$T/dns.err"; then ok "dns_start serves the peers zone"; else
        not_ok "dns_start serves the peers zone" "$(head -c 400 "$T/dns.err")"
    fi
    conf='AuthservID mx.test
TrustedAuthservIDs mx.test
PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat
SPFIgnoreResults false
SPFSelfValidate false
Syslog false'
    printf '%s\nRejectFailures false\n' "$conf" >"$T/od-field.conf"
    printf '%s\nRejectFailures true\nHoldQuarantinedMessages true\n' "$conf" >"$T/od-dis.conf"
    # In the namespace: both runs of each case, the output as it is; the
    # envelope sender is the smtp.mailfrom domain (not used: no SPF check).
    cat >"$T/od.sh" <<'EOF'
T=$1
while IFS='|' read -r name from results _; do
    mf=$(sed -nE 's/.*smtp\.mailfrom=([^;@ ]*@)?([^; ]+).*/\2/p' <<<"$results")
    for run in field dis; do
        OPENDMARC_TEST_ENVFROM=postmaster@${mf:-peers.test} OPENDMARC_TEST_CLIENTIP=192.0.2.99 \
        OPENDMARC_TEST_HELOHOST=mail.peers.test \
            /usr/sbin/opendmarc -c "$T/od-$run.conf" -t "$T/msg/$name" -vvv >"$T/od/$name.$run" 2>&1 </dev/null
    done
done <"$T/cases"
EOF
    dns_private bash "$T/od.sh" "$T"
    expect_eq "opendmarc ran in the private namespace" 0 "$?"
    # OpenDMARC's answer: the dmarc= word and p= of the field of the first
    # run; the dis= of the second, or reject when it refused (550).
    while IFS='|' read -r name _; do
        f=$(sed -nE "s/^### INSHEADER: idx=0 hname='Authentication-Results' hvalue='(.*)'$/\1/p" "$T/od/$name.field")
        r=$(sed -nE 's/.*; dmarc=([a-z]+).*/\1/p' <<<"$f")
        p=$(sed -nE 's/.*dmarc=[a-z]+ \(p=([a-z]+) dis=.*/\1/p' <<<"$f")
        d=$(sed -nE "s/^### INSHEADER: .*hvalue='.*dmarc=[a-z]+ \(p=[a-z]+ dis=([a-z]+)\).*/\1/p" "$T/od/$name.dis")
        grep -q "^### SETREPLY: rcode='550'" "$T/od/$name.dis" && d=reject
        # With no policy it writes "(p=none dis=none)": no policy, as ours.
        [ "$r" = none ] && p=- d=-
        res[opendmarc,$name]="${r:-no-field} p=${p:--} dis=${d:--}"
    done <"$T/cases"
fi
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

# --- dmarccheck, and one test line per case ----------------------------------------------
# ours FILE ARGS...: dmarccheck's answer "RESULT p=POLICY dis=DISPOSITION";
# p= of the comment and policy.dmarc= must agree ("p=X/policy.dmarc=Y" if
# not); the disposition from a second run with --reject: reject when it
# refuses (exit 100), else the dis= it writes.
ours() {
    local f=$1 ar r p pd d rc; shift
    dmarccheck --control-dir "$T/ctl" --dns-zone "$T/peers.zone" --no-reject "$@" <"$f" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" = 0 ] || { echo "exit-$rc"; return; }
    ar=$(first_ar "$T/out")
    r=$(sed -nE 's/.*; dmarc=([a-z]+).*/\1/p' <<<"$ar")
    p=$(sed -nE 's/.*; dmarc=[a-z]+ \(p=([a-z]+) dis=.*/\1/p' <<<"$ar")
    pd=$(sed -nE 's/.*; dmarc=.* policy\.dmarc=([a-z]+).*/\1/p' <<<"$ar")
    [ "$p" = "$pd" ] || p="$p/policy.dmarc=$pd"
    dmarccheck --control-dir "$T/ctl" --dns-zone "$T/peers.zone" --reject "$@" <"$f" >"$T/out" 2>"$T/err"
    rc=$?
    case $rc in
        100) d=reject ;;
        0) d=$(first_ar "$T/out" | sed -nE 's/.*; dmarc=[a-z]+ \(p=[a-z]+ dis=([a-z]+)\).*/\1/p') ;;
        *) d=exit-$rc ;;
    esac
    echo "${r:-no-dmarc} p=${p:--} dis=${d:--}"
}

declare -A want walk bug listed agree
# authheaders has no disposition: it reports RESULT p=POLICY.
peer_want() { if [ "$1" = authheaders ]; then echo "${2% dis=*}"; else echo "$2"; fi; }
while IFS='|' read -r name _ _ r p d; do want[$name]="$r p=$p dis=$d"; done < <(spec C)
while IFS='|' read -r name a _; do walk[$name]=$a; done < <(spec W)
while IFS='|' read -r name a why; do bug[$name]="$a|$why"; done < <(spec B)
while IFS='|' read -r name p a why; do listed[$name,$p]="$a|$why"; done < <(spec D)
for p in $peers; do agree[$p]=0; done
while IFS='|' read -r name from results _; do
    w=${want[$name]} ww=${walk[$name]:-${want[$name]}}
    o=$(ours "$T/msg/$name" --discovery psl) ow=$(ours "$T/msg/$name")
    expected="dmarccheck=[$w] dmarccheck-9989=[$ww]" actual="dmarccheck=[$o] dmarccheck-9989=[$ow]"
    if [ -f "$T/msg/$name.addr" ]; then
        expected="$expected address-form=[$w]" actual="$actual address-form=[$(ours "$T/msg/$name.addr" --discovery psl)]"
    fi
    notes=() mark=
    compare_peers "$name" "$w"
    verdict "$name" "$name: From ${from} / $results" "$o" "$w" dmarccheck "RFC 7489" \
        "dmarccheck --trace --dns-zone ZONE --discovery psl < message (tests/interop/dmarc-peers.sh)"
    for p in $missing_peers; do skip "$name: $p" "peer $p not installed"; done
done <"$T/cases"

peer_summary "$ncases" "RFC 7489"
printf '# the peers took %s s for %d cases\n' "$elapsed" "$ncases"
