# Shared by run.sh and low.sh: with SG, REPO, W (work folder) and R (results file) set,
# `m NAME AS-LIMIT CMD…` runs CMD under an address-space limit and writes its exit, peak
# KB, seconds and the first line it said (stderr, else stdout) to R; `site` makes a
# fresh copy of the repository's content in $W/s/content.
G=$((1024*1024*1024))
m() {
  local name=$1 lim=$2; shift 2
  /usr/bin/time -o $W/t -f "%M %e" prlimit --as=$lim -- "$@" > $W/out 2> $W/err
  local rc=$?
  local first=$(grep -v '^\s*$' $W/err | grep -v "warning:\|^note" | head -1 | cut -c1-220)
  [ -z "$first" ] && first=$(head -c 220 $W/out | head -1)
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rc" "$(tail -1 $W/t | cut -d' ' -f1)" "$(tail -1 $W/t | cut -d' ' -f2)" "$first" | tee -a $R
}
site() { rm -rf $W/s; mkdir -p $W/s; cp -r $REPO/content $W/s/content; }
