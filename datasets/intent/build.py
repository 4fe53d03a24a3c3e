"""Builds train.jsonl / dev.jsonl from the source snapshots (see README.md). Deterministic (seed 11).

Inputs: I2EBench EditData/<Task>/<Task>.json files copied to $I2E (default /tmp/i2e), the selected
T2I-CompBench prompts in $T2I (default /tmp/t2i.txt, "<file>|<prompt>" per line) and the hand-written
Vietnamese translations below (train only). Run: python3 datasets/intent/build.py
"""
import json, os, random, re

I2E = os.environ.get('I2E', '/tmp/i2e')
T2I = os.environ.get('T2I', '/tmp/t2i.txt')
OUT = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(11)

# I2EBench task -> (label, how many distinct requests to take)
TASKS = {
    'Deblurring': ('enhance', 30), 'NoiseRemoval': ('enhance', 20), 'HazeRemoval': ('enhance', 20), 'Lowlight': ('enhance', 25),
    'ObjectRemoval': ('object-removal', 50), 'WatermarkRemoval': ('object-removal', 30),
    'StyleAlteration': ('style-transfer', 60),
    'BGReplacement': ('out-of-scope', 20), 'ColorAlteration': ('out-of-scope', 14), 'Replacement': ('out-of-scope', 14),
    'Counting': ('out-of-scope', 10), 'DirectionPerception': ('out-of-scope', 10), 'RainRemoval': ('out-of-scope', 8), 'SnowRemoval': ('out-of-scope', 8),
}
# Hand corrections after reading each item: the words ask for something else than the task's category.
def relabel(text, label):
    if re.search(r'\bresolution\b', text, re.I) and label == 'enhance':
        return 'upscale'  # "Improve the resolution of the picture" asks for more pixels
    return label

items, seen = [], set()
for task, (label, count) in TASKS.items():
    data = json.load(open(os.path.join(I2E, f'{task}.json'), encoding='utf8'))
    texts = []
    for entry in data.values():
        for key in ('div_exp', 'ori_exp'):
            text = (entry.get(key) or '').strip()
            if text and text.lower() not in seen:
                seen.add(text.lower()); texts.append(text)
    rng.shuffle(texts)
    for text in texts[:count]:
        items.append({'text': text, 'has_image': True, 'label': relabel(text, label), 'source': f'i2ebench:{task}', 'lang': 'en'})

for line in open(T2I, encoding='utf8'):
    name, _, text = line.rstrip('\n').partition('|')
    if text and text.lower() not in seen:
        seen.add(text.lower())
        items.append({'text': text, 'has_image': False, 'label': 'generate', 'source': f't2i-compbench:{name}_val', 'lang': 'en'})

# Removed by hand review: not a usable request (no clear meaning, or a request about people's race).
EXCLUDE = {
    'Remove the black people from the image', 'Illuminating with precision', 'Perfecting the luminosity', 'Perfecting the luminance',
    'Extract the obscured features.', 'Detoxify the picture from mist.', 'Disregard the watermark.',
    'Explore the interplay of light and shadow in a monochromatic world', 'Cleanse the image of any distortion.',
}
items = [item for item in items if item['text'] not in EXCLUDE]

# Stratified 70/30 split by label.
train, dev = [], []
for label in sorted({item['label'] for item in items}):
    group = [item for item in items if item['label'] == label]
    rng.shuffle(group)
    cut = round(len(group) * 0.3)
    dev += group[:cut]; train += group[cut:]

# A few hand translations of TRAIN items into Vietnamese (with and without diacritics, mixed with
# English as people write here). Train only, never dev.
TRANSLATED = [
    ('Làm cho ảnh này nét hơn, bớt mờ đi', True, 'enhance'),
    ('lam anh nay bot nhieu hat di', True, 'enhance'),
    ('Tăng độ sáng cho bức ảnh này', True, 'enhance'),
    ('Xoá cái logo watermark trong ảnh giúp mình', True, 'object-removal'),
    ('xoa nguoi dang sau di', True, 'object-removal'),
    ('pls remove cái xe máy ở góc trái', True, 'object-removal'),
    ('Chuyển ảnh này sang phong cách tranh sơn dầu', True, 'style-transfer'),
    ('doi anh sang kieu anime', True, 'style-transfer'),
    ('Đổi nền thành bãi biển', True, 'out-of-scope'),
    ('đổi màu cái áo thành màu đỏ', True, 'out-of-scope'),
    ('Một chú mèo trắng nằm trên ghế sofa màu nâu', False, 'generate'),
    ('mot con ngua dang phi nuoc dai tren dong co', False, 'generate'),
    ('Một chiếc khinh khí cầu nhiều màu bay gần những đám mây xám', False, 'generate'),
]
train += [{'text': t, 'has_image': img, 'label': label, 'source': 'translated', 'lang': 'vi'} for t, img, label in TRANSLATED]

rng.shuffle(train); rng.shuffle(dev)
for name, rows in (('train', train), ('dev', dev)):
    with open(os.path.join(OUT, f'{name}.jsonl'), 'w', encoding='utf8') as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + '\n')
print(len(train), len(dev))
