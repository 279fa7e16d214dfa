#!/bin/sh
# LibreOffice producer: re-saves the XlsxWriter workbooks with LibreOffice Calc,
# so the bytes in ../libreoffice/ are LibreOffice's own xlsx export.
# Needs: apt-get install libreoffice-calc-nogui; run make/xlsxwriter_make.py first.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC="$HERE/../xlsxwriter"
OUT="$HERE/../libreoffice"
PROFILE=$(mktemp -d /tmp/lo-profile.XXXXXX)
mkdir -p "$OUT"
for name in roster_tic roster_enclave register form_tic form_enclave cells cells_1904; do
  soffice -env:UserInstallation="file://$PROFILE" --headless --norestore \
    --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$OUT" "$SRC/$name.xlsx"
done
rm -rf "$PROFILE"
