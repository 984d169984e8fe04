#!/usr/bin/perl
# Verifies every DKIM-Signature of each message with Mail::DKIM::Verifier,
# answering its TXT lookups from a zone file (Mail::DKIM::DNS::query is
# replaced; no DNS; the zone file is read as dkimpy-verify.py reads it), and
# prints one line per signature:
#     FILE INDEX SELECTOR RESULT
# RESULT is Mail::DKIM's word (pass, fail, invalid, temperror, none). A
# message without a signature prints "FILE - - none".
#
#   perl maildkim-verify.pl ZONEFILE FILE...
#
# Lines are fed with CRLF ends, whatever the file has, as dkimproxy-verify
# does (so LF files as qmail stores them verify like their wire form).
use strict;
use warnings;
use Mail::DKIM::Verifier;
use Net::DNS;

my $zone = shift @ARGV;
my %txt;
my $pending = '';
open my $z, '<:raw', $zone or die "$zone: $!\n";
while (<$z>) {
    next if /^\s*(;|$)/;
    chomp;
    $pending .= " $_";
    next if ( () = $pending =~ /\(/g ) > ( () = $pending =~ /\)/g );
    ( my $rr = $pending ) =~ tr/()/  /;
    $pending = '';
    next unless $rr =~ /^\s*(\S+)\s+(?:\d+\s+)?IN\s+TXT\s+(.*)$/;
    my ( $name, $rest ) = ( lc $1, $2 );
    $name =~ s/\.?$//;
    my @strings = $rest =~ /"((?:[^"\\]|\\.)*)"/g;
    $txt{$name} = [@strings];
}
close $z;

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ( $name, $type ) = @_;
        $name = lc $name;
        $name =~ s/\.$//;
        if ( uc $type ne 'TXT' || !$txt{$name} ) {
            $@ = 'NXDOMAIN';
            return;
        }
        return Net::DNS::RR->new( name => $name, type => 'TXT', txtdata => $txt{$name} );
    };
}

for my $file (@ARGV) {
    open my $fh, '<:raw', $file or die "$file: $!\n";
    my $dkim = Mail::DKIM::Verifier->new();
    while ( my $line = <$fh> ) {
        $line =~ s/\r?\n\z//;
        $dkim->PRINT("$line\r\n");
    }
    close $fh;
    $dkim->CLOSE;
    my @sigs = grep { ref($_) eq 'Mail::DKIM::Signature' } $dkim->signatures;
    print "$file - - none\n" unless @sigs;
    my $i = 0;
    for my $sig (@sigs) {
        my $detail = $sig->result_detail;
        $detail =~ s/\s+/ /g;
        print STDERR "# $file $i $detail\n" if $sig->result ne 'pass';
        printf "%s %d %s %s\n", $file, $i++, $sig->selector, $sig->result;
    }
}
