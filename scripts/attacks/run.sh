#!/bin/bash
# Runs the attacks of docs/security.md against a site-gen binary, each under an
# address-space limit, and writes one line per attack (name, exit, peak KB, seconds,
# first line said) to $ATTACKS/results.tsv (default /tmp/attacks). The files come from
# gen.py: python3 scripts/attacks/gen.py /tmp/attacks/files
SG=$(realpath $1); REPO=$(realpath $2); D=${ATTACKS:-/tmp/attacks}; F=$D/files; W=$D/work; R=$D/results.tsv
rm -rf $W; mkdir -p $W; : > $R
. "$(dirname "$0")/common.sh"
C=$W/s/content
# High: symlinked template, get_env
site; mkdir -p $W/s/templates; ln -s /proc/self/environ $W/s/templates/notice.html
export ATTACK_SECRET=do-not-publish-7f3a
m "template → /proc/self/environ (check)" $((2*G)) $SG --lang en check --content $C
m "template → /proc/self/environ (build)" $((2*G)) $SG --lang en build --content $C --out $W/s/dist
grep -rl do-not-publish $W/s/dist 2>/dev/null | head -1 | sed 's/^/LEAK: /' | tee -a $R
site; mkdir -p $W/s/templates
printf '{%% extends "base.html" %%}\n{%% block main %%}<main>\n{{ get_env(name="ATTACK_SECRET") }}\n</main>{%% endblock main %%}' > $W/s/templates/program.html
m "template calling get_env (check)" $((2*G)) $SG --lang en check --content $C
# High: CNAME written into dist 0.3 s into a build
site; $SG --lang en build --content $C --out $W/s/dist >/dev/null 2>&1
( sleep 0.3; echo training.example.gov.cn > $W/s/dist/CNAME ) &
m "CNAME written 0.3 s into a build" $((2*G)) $SG --lang en build --content $C --out $W/s/dist
wait; echo "CNAME after: $(cat $W/s/dist/CNAME 2>/dev/null || echo MISSING)" | tee -a $R
# High: look-alike folders
site; for d in .dist.site-gen-tmp-1 .dist.site-gen-old-2; do mkdir -p $W/s/$d/notes; echo "mine $d" > $W/s/$d/notes/plan.txt; done
m "look-alike .dist.site-gen-tmp-1/-old-2 beside dist" $((2*G)) $SG --lang en build --content $C --out $W/s/dist
echo "look-alikes after: $(cat $W/s/.dist.site-gen-tmp-1/notes/plan.txt $W/s/.dist.site-gen-old-2/notes/plan.txt | tr '\n' ' '); notes in dist: $(ls $W/s/dist/notes 2>/dev/null | wc -l)" | tee -a $R
# Medium: spreadsheets
site
imp() { $SG --lang en import "$1" --notice wenzhou-2020 --list municipal --content $C --dry-run; }
m "xlsx far cell XFD1048576 (import)" $G $SG --lang en import $F/far.xlsx --notice wenzhou-2020 --list municipal --content $C --dry-run
m "xlsx far cell XFD1048576 (form validate)" $G $SG form validate wenzhou-hours-roster $F/far.xlsx --content $C
m "xlsx 4 GiB sheet XML in $(du -k $F/bomb4g.xlsx | cut -f1) KB" $G $SG --lang en import $F/bomb4g.xlsx --notice wenzhou-2020 --list municipal --content $C --dry-run
m "xlsx one 1.5 GiB shared string ($(du -k $F/sst15g.xlsx | cut -f1) KB)" $G $SG --lang en import $F/sst15g.xlsx --notice wenzhou-2020 --list municipal --content $C --dry-run
m "xlsx 1M rows ($(du -k $F/rows1m.xlsx | cut -f1) KB, import)" $G $SG --lang en import $F/rows1m.xlsx --notice wenzhou-2020 --list municipal --content $C --dry-run
m "xlsx 1M rows (form validate)" $G $SG form validate wenzhou-hours-roster $F/rows1m.xlsx --content $C
m "CSV 63 MB of short rows (import)" $((4*G)) $SG --lang en import $F/short63.csv --notice wenzhou-2020 --list municipal --content $C --dry-run
m "CSV 62 MB, 49,990 programs at the row limit (import)" $((4*G)) $SG --lang en import $F/plan62.csv --notice wenzhou-2020 --list municipal --content $C --dry-run
m "xlsx with no workbook (import)" $G $SG --lang en import $F/noworkbook.xlsx --notice wenzhou-2020 --list municipal --content $C --dry-run
m "form validate of an .xlsx roster (no workbook)" $G $SG form validate wenzhou-hours-roster $F/noworkbook.xlsx --content $C
# Medium: hand-in codes
m "10 MB base64url line (form aggregate)" $G $SG form aggregate wenzhou-survey $F/line10mb.txt --content $C
m "64 MiB of short codes (form aggregate)" $G $SG form aggregate wenzhou-survey $F/codes64.txt --content $C
m "200 KB line with a code (form aggregate)" $G $SG form aggregate wenzhou-survey $F/long200k.txt --content $C
echo "  output bytes: $(wc -c < $W/out)" | tee -a $R
# Medium: base_url
for u in 'https://training.gov.cn/a"><script>alert(1)</script>/' 'https://training.gov.cn/a/?x=1' 'https://training.gov.cn/a/#top' 'https://training.gov.cn/a/../b/'; do
  site; sed -i "s|^base_url = .*|base_url = '$u'|" $C/site.toml
  m "base_url $u (check)" $((2*G)) $SG --lang en check --content $C
  m "base_url $u (build)" $((2*G)) $SG --lang en build --content $C --out $W/s/dist
done
