#!/bin/bash
# The Low and unclear-message rows of docs/security.md (see run.sh). Usage: low.sh SITE_GEN REPO
SG=$(realpath $1); REPO=$(realpath $2); D=${ATTACKS:-/tmp/attacks}; F=$D/files; W=$D/work-low; R=$D/results-low.tsv
mkdir -p $W; : > $R
. "$(dirname "$0")/common.sh"
C=$W/s/content; N=$C/notices/wenzhou-2020.toml
edit() { site; python3 - "$N" "$1" "$2" <<'PY'
import sys; p, a, b = sys.argv[1:]; s = open(p, encoding="utf-8").read()
b = b.replace("<RLO>", "\u202e").replace("<ZWSP>", "\u200b")   # raw characters; \uXXXX stays a TOML escape
assert a in s, a; open(p, "w", encoding="utf-8").write(s.replace(a, b, 1))
PY
}
both() { m "$1 (check)" $((2*G)) $SG --lang en check --content $C; m "$1 (build)" $((2*G)) $SG --lang en build --content $C --out $W/s/dist; }
edit 'organizer = "温州市工业科学研究院"' 'organizer = "index.html"'; both "organizer named index.html"
edit 'organizer = "温州市工业科学研究院"' 'organizer = "温州\u0007研究院"'; both "C0 control U+0007 in organizer"
edit 'organizer = "温州市工业科学研究院"' 'organizer = "温州\u0085研究院"'; both "C1 control U+0085 in organizer"
edit 'organizer = "温州市工业科学研究院"' 'organizer = "温州<RLO>研究院"'; both "RTL override U+202E in organizer"
edit 'organizer = "温州市工业科学研究院"' 'organizer = "温州<ZWSP>市工业科学研究院"'; both "zero-width space in organizer"
edit 'organizer = "温州大学技术与管理人才培训中心"' "organizer = \"$(python3 -c 'import unicodedata;print(unicodedata.normalize("NFD","温州市工业科学研究院é"))')\""
python3 - "$N" <<'PY'
import sys,unicodedata; p=sys.argv[1]; s=open(p,encoding="utf-8").read()
s=s.replace('organizer = "温州市工业科学研究院"', 'organizer = "'+unicodedata.normalize("NFC","温州市工业科学研究院é")+'"',1); open(p,"w",encoding="utf-8").write(s)
PY
both "two organizers differing only in NFC/NFD"
site; printf '\n![x](javascript:alert(1))\n' >> $C/notices/wenzhou-2020.md; both "![x](javascript:alert(1)) in a notice body"
grep -l 'src="javascript' -r $W/s/dist 2>/dev/null | head -1 | sed 's/^/UNSAFE: /' | tee -a $R
site; python3 - "$N" <<'PY'
import sys; p=sys.argv[1]; s=open(p,encoding="utf-8").read()
s=s.replace('doc_number = "温人社发〔2020〕77号"', 'doc_number = "' + "号" * 3_145_728 + '"', 1); open(p,"w",encoding="utf-8").write(s)
PY
both "9 MB doc_number"; echo "  stderr bytes: $(wc -c < $W/err)" | tee -a $R
site; rm $C/notices/shandong-2024.md; mkfifo $C/notices/shandong-2024.md; both "a FIFO as a notice's body file"
site; rm $C/site.toml; ln -s /dev/zero $C/site.toml; both "site.toml → /dev/zero"
site; mkfifo $W/fifo.json; m "form validate of a FIFO" $G timeout 20 $SG --lang en form validate wenzhou-survey $W/fifo.json --content $C; rm -f $W/fifo.json
ln -sf /dev/zero $W/zero.json; m "form validate of a /dev/zero link" $G $SG --lang en form validate wenzhou-survey $W/zero.json --content $C
echo 'GYB~a' > $W/short.txt; m "a hand-in code too short to measure" $G $SG form aggregate wenzhou-survey $W/short.txt --content $C
python3 -c "import json;print(json.dumps({'form':'wenzhou-survey','version':1,'values':{'goal_setting':'x'*200000}}))" > $W/v200k.json
m "a 200 KB value in a response (form validate)" $G $SG --lang en form validate wenzhou-survey $W/v200k.json --content $C; echo "  output bytes: $(wc -c < $W/out) + $(wc -c < $W/err)" | tee -a $R
site; python3 - "$N" <<'PY'
import sys; p=sys.argv[1]; s=open(p,encoding="utf-8").read()
s=s.replace('doc_number = "温人社发〔2020〕77号"', 'doc_number = "' + "号" * 200_000 + '" x', 1); open(p,"w",encoding="utf-8").write(s)
PY
m "a 200 KB line with a TOML error (check)" $G $SG --lang en check --content $C; echo "  stderr bytes: $(wc -c < $W/err)" | tee -a $R
# serve: a 4 KB path, //notices/x, the manifest
site; $SG --lang en build --content $C --out $W/s/dist >/dev/null 2>&1
PORT=18765
( cd $W/s && exec $SG --lang en serve --content $C --out $W/s/dist --port $PORT > $W/serve.log 2>&1 ) & SP=$!
for i in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:$PORT/ && break; sleep 1; done
p4=$(python3 -c "print('/'+'a'*5000)")
echo -e "serve: 5 KB path\t$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT$p4)" | tee -a $R
echo -e "serve: GET //notices/x\t$(curl -s -o /dev/null -w '%{http_code} Location: %{redirect_url}' --path-as-is http://127.0.0.1:$PORT//notices/x)" | tee -a $R
echo -e "serve: GET /.site-gen\t$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/.site-gen)" | tee -a $R
kill $SP
