#!/usr/bin/env bash
# Makes the committed inputs of the task-truth corpus (test/fixtures/task-truth/): rendered text lines
# and pages (ImageMagick + DejaVu / WenQuanYi Micro Hei fonts) for PaddleOCR, spoken clips (espeak-ng,
# resampled with sox to 16 kHz mono 16-bit) for openWakeWord and Silero VAD. Run it here, once; CI only
# reads the committed files. Output is deterministic for a given espeak-ng / ImageMagick version.
#
#   bash scripts/make-task-truth-inputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test/fixtures/task-truth
CONVERT=/usr/bin/convert # the first `convert` on PATH may be a stand-in
CJK=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
mkdir -p "$OUT/ocr-lines" "$OUT/ocr-pages" "$OUT/audio"

# ---- Text lines for the recognizer: "font|text", one line each; labels.txt holds the truth. ----
LINES=(
  "DejaVu-Sans|Invoice 2024-0117"
  "DejaVu-Serif|The quick brown fox"
  "DejaVu-Sans-Mono|Total: 348.50 EUR"
  "DejaVu-Sans-Bold|Meeting at 10:45"
  "DejaVu-Sans|Phone 555 0199"
  "DejaVu-Serif|jumps over the lazy dog"
  "DejaVu-Sans-Condensed|Order number 88412"
  "DejaVu-Sans|Hello World"
  "DejaVu-Serif-Bold|Chapter 7 Results"
  "DejaVu-Sans-Mono|ID 40417-B"
  "DejaVu-Sans|Delivery on Monday"
  "DejaVu-Serif|Room 302, Floor 3"
  "$CJK|欢迎使用文字识别"
  "$CJK|今天天气很好"
  "$CJK|北京市海淀区"
  "$CJK|价格 128 元"
)
: >"$OUT/ocr-lines/labels.txt"
i=0
for entry in "${LINES[@]}"; do
  i=$((i + 1))
  font="${entry%%|*}"
  text="${entry#*|}"
  name=$(printf 'line%02d.pgm' "$i")
  "$CONVERT" -background white -fill black -font "$font" -pointsize 30 label:"$text" \
    -bordercolor white -border 10x8 -colorspace Gray -depth 8 "$OUT/ocr-lines/$name"
  printf '%s\t%s\n' "$name" "$text" >>"$OUT/ocr-lines/labels.txt"
done

# ---- Pages for the detector: a few lines of text at several sizes on a 640x480 canvas. ----
page() { # name, then "x,y,size,text" items
  local name=$1
  shift
  local args=()
  for item in "$@"; do
    IFS=',' read -r x y size text <<<"$item"
    args+=(-pointsize "$size" -annotate "+$x+$y" "$text")
  done
  "$CONVERT" -size 640x480 xc:white -fill black -font DejaVu-Sans "${args[@]}" -colorspace Gray -depth 8 "$OUT/ocr-pages/$name"
}
page page1.pgm "40,60,34,Quarterly Report" "40,130,22,Revenue grew 12 percent" "40,180,22,in the third quarter." \
  "40,260,18,Contact: sales@example.com" "40,330,26,Total 1 250 000" "360,430,16,Page 1 of 3"
page page2.pgm "60,80,28,Shopping list" "60,140,20,Milk and bread" "60,190,20,Eggs (12)" "60,240,20,Apples 2 kg" \
  "330,140,20,Coffee beans" "330,190,20,Olive oil" "60,400,30,Due Friday 18:00"
page page3.pgm "30,50,16,Terms and conditions apply" "30,120,40,SALE 50%" "30,200,24,Open daily 9 to 5" \
  "300,280,22,Main Street 14" "30,360,20,www.example.org" "30,440,14,Printed in 2026"

# ---- Speech: wake-word positives, negatives, and VAD clips (speech with silences). ----
say() { # name, voice, speed, text
  espeak-ng -v "$2" -s "$3" -w /tmp/tt-say.wav "$4"
  sox /tmp/tt-say.wav -r 16000 -c 1 -b 16 -e signed-integer "$OUT/audio/$1" pad 0.5 0.7
}
: >"$OUT/audio/clips.txt"
n=0
for voice in en en-us en+f3 en-us+m3 en+f2 en-gb-x-rp en-029 en+m4; do
  for speed in 140 170; do
    n=$((n + 1))
    say "pos$(printf %02d $n).wav" "$voice" "$speed" "hey jarvis"
    printf 'pos%02d.wav\t1\t%s %s hey jarvis\n' $n "$voice" "$speed" >>"$OUT/audio/clips.txt"
  done
done
NEG=("hey marvin" "what time is it" "turn on the lights" "good morning" "hey travis" "jars of jam"
  "play some music" "hello there" "call my mother" "it is raining" "jarvis" "hey" "set a timer"
  "open the window" "harvest season" "thank you very much")
for k in "${!NEG[@]}"; do
  voices=(en en-us en+f3 en-us+m3)
  v=${voices[$((k % 4))]}
  say "neg$(printf %02d $((k + 1))).wav" "$v" 150 "${NEG[$k]}"
  printf 'neg%02d.wav\t0\t%s 150 %s\n' $((k + 1)) "$v" "${NEG[$k]}" >>"$OUT/audio/clips.txt"
done
# VAD: three utterances separated by one second of silence each, quiet noise floor added.
for j in 1 2 3; do
  espeak-ng -v en+f$j -s 150 -w /tmp/tt-a.wav "The weather today is cloudy with a chance of rain."
  espeak-ng -v en-us -s 160 -w /tmp/tt-b.wav "Please remember to lock the door."
  sox -n -r 22050 -c 1 /tmp/tt-sil.wav trim 0 1.0
  sox /tmp/tt-sil.wav /tmp/tt-a.wav /tmp/tt-sil.wav /tmp/tt-b.wav /tmp/tt-sil.wav -r 16000 -c 1 -b 16 -e signed-integer \
    "$OUT/audio/vad$j.wav" dither -s
done
rm -f /tmp/tt-say.wav /tmp/tt-a.wav /tmp/tt-b.wav /tmp/tt-sil.wav
du -sh "$OUT"
