// Crafts a co64 fixture without a 4 GiB file: rewrites an MP4 whose moov precedes its mdat so
// every stco becomes co64 (64-bit chunk offsets) and the mdat gets a 64-bit "largesize" header,
// shifting all chunk offsets by the bytes this adds. Deliberately independent of src/media (its
// own tiny box walker), so the cutter's co64 reading is checked against another implementation;
// ffprobe/framemd5 of the result must equal the input's.
//   node scripts/media/rewrite-co64.mjs <in.mp4> <out.mp4>
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
const src = readFileSync(input);
const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl"]);

function boxes(buf, start, end) {
  const out = [];
  for (let at = start; at < end; ) {
    const size = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    if (size < 8) throw new Error(`unsupported box size ${size} for ${type}`);
    out.push({ type, start: at, end: at + size });
    at += size;
  }
  return out;
}

const top = boxes(src, 0, src.length);
const order = top.map((b) => b.type).join(",");
if (order.indexOf("moov") > order.indexOf("mdat")) throw new Error(`need moov before mdat, got ${order}`);

// The moov is rebuilt twice: once to learn its new size (hence how far the mdat payload moves),
// then with every offset moved by that much.
let tables = 0;
function rebuild(box, shift) {
  if (box.type === "stco") {
    const count = src.readUInt32BE(box.start + 12);
    const out = Buffer.alloc(16 + count * 8);
    out.writeUInt32BE(out.length, 0);
    out.write("co64", 4, "latin1");
    out.writeUInt32BE(count, 12);
    for (let i = 0; i < count; i++) out.writeBigUInt64BE(BigInt(src.readUInt32BE(box.start + 16 + i * 4) + shift), 16 + i * 8);
    tables++;
    return out;
  }
  if (!CONTAINERS.has(box.type)) return src.subarray(box.start, box.end);
  const parts = boxes(src, box.start + 8, box.end).map((b) => rebuild(b, shift));
  const header = Buffer.alloc(8);
  header.write(box.type, 4, "latin1");
  const out = Buffer.concat([header, ...parts]);
  out.writeUInt32BE(out.length, 0);
  return out;
}

const moovBox = top.find((b) => b.type === "moov");
const mdatBox = top.find((b) => b.type === "mdat");
const grownMoov = rebuild(moovBox, 0).length;
let newPayloadStart = 0;
for (const box of top) {
  if (box.type === "free" || box.type === "skip") continue; // the placeholder ffmpeg leaves for a 64-bit mdat
  if (box === mdatBox) break;
  newPayloadStart += box === moovBox ? grownMoov : box.end - box.start;
}
newPayloadStart += 16;
const shift = newPayloadStart - (mdatBox.start + 8);
tables = 0;
const pieces = [];
for (const box of top) {
  if (box.type === "free" || box.type === "skip") continue;
  if (box === moovBox) pieces.push(rebuild(box, shift));
  else if (box === mdatBox) {
    const header = Buffer.alloc(16);
    header.writeUInt32BE(1, 0);
    header.write("mdat", 4, "latin1");
    header.writeBigUInt64BE(BigInt(box.end - box.start - 8 + 16), 8);
    pieces.push(header, src.subarray(box.start + 8, box.end));
  } else pieces.push(src.subarray(box.start, box.end));
}
writeFileSync(output, Buffer.concat(pieces));
console.log(`${output}: ${tables} co64 tables, payload moved by ${shift} bytes, 64-bit mdat header`);
