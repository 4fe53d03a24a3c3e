"""Builds train.jsonl / dev.jsonl from the excerpts under sources/ (see README.md). Deterministic (seed 11);
needs nothing outside this folder. Run: python3 datasets/intent/build.py

Two stages, so that adding sources never moves an item of the first build between the splits:
  1. the first build (I2EBench + T2I-CompBench + hand translations), replayed exactly as it was made;
  2. the items added later (PixWizard, IC-Light, ACE, PromptFix), split on their own, stratified by label;
     then written items (train only).
sources/extract.py records how each excerpt was cut from its repository.
"""
import json, os, random, re

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, 'sources')

def lines(*path):
    with open(os.path.join(SRC, *path), encoding='utf8') as f:
        return [line.rstrip('\n') for line in f if line.strip()]

def split(items, rng):
    """Stratified 70/30 split by label."""
    train, dev = [], []
    for label in sorted({item['label'] for item in items}):
        group = [item for item in items if item['label'] == label]
        rng.shuffle(group)
        cut = round(len(group) * 0.3)
        dev += group[:cut]; train += group[cut:]
    return train, dev

# ---------------------------------------------------------------- stage 1: the first build, replayed
rng = random.Random(11)

# I2EBench task -> (label, how many distinct requests were taken)
TASKS = {
    'Deblurring': ('enhance', 30), 'NoiseRemoval': ('enhance', 20), 'HazeRemoval': ('enhance', 20), 'Lowlight': ('enhance', 25),
    'ObjectRemoval': ('object-removal', 50), 'WatermarkRemoval': ('object-removal', 30),
    'StyleAlteration': ('style-transfer', 60),
    'BGReplacement': ('out-of-scope', 20), 'ColorAlteration': ('out-of-scope', 14), 'Replacement': ('out-of-scope', 14),
    'Counting': ('out-of-scope', 10), 'DirectionPerception': ('out-of-scope', 10), 'RainRemoval': ('out-of-scope', 8), 'SnowRemoval': ('out-of-scope', 8),
}
# The first build shuffled all distinct instructions of a task and took the first N; the excerpts keep only
# those N (in that order), and the count of distinct instructions replays the same random sequence.
DISTINCT = json.load(open(os.path.join(SRC, 'i2ebench', 'distinct_counts.json'), encoding='utf8'))

# Hand corrections after reading each item: the words ask for something else than the task's category.
def relabel(text, label):
    if re.search(r'\bresolution\b', text, re.I) and label == 'enhance':
        return 'upscale'  # "Improve the resolution of the picture" asks for more pixels
    return label

items, seen = [], set()
for task, (label, count) in TASKS.items():
    texts = lines('i2ebench', f'{task}.txt')
    assert len(texts) == count, task
    rng.shuffle(list(range(DISTINCT[task])))  # the draw that picked these texts
    for text in texts:
        seen.add(text.lower())
        items.append({'text': text, 'has_image': True, 'label': relabel(text, label), 'source': f'i2ebench:{task}', 'lang': 'en'})

for line in lines('t2i-compbench', 'prompts.txt'):
    name, _, text = line.partition('|')
    if text.lower() not in seen:
        seen.add(text.lower())
        items.append({'text': text, 'has_image': False, 'label': 'generate', 'source': f't2i-compbench:{name}_val', 'lang': 'en'})

# Removed by hand review: not a usable request (no clear meaning, or a request about people's race).
EXCLUDE = {
    'Remove the black people from the image', 'Illuminating with precision', 'Perfecting the luminosity', 'Perfecting the luminance',
    'Extract the obscured features.', 'Detoxify the picture from mist.', 'Disregard the watermark.',
    'Explore the interplay of light and shadow in a monochromatic world', 'Cleanse the image of any distortion.',
}
items = [item for item in items if item['text'] not in EXCLUDE]
train, dev = split(items, rng)

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
rng.shuffle(train); rng.shuffle(dev)  # the first build's order

# ---------------------------------------------------------------- stage 2: sources added later
added = []
def add(text, label, source, has_image=True):
    text = text.strip()
    if text and text.lower() not in seen:
        seen.add(text.lower())
        added.append({'text': text, 'has_image': has_image, 'label': relabel(text, label), 'source': source, 'lang': 'en'})

# PixWizard instruction templates (MIT). sr.txt mixes "more resolution" with plain clarity lines: relabel()
# sends the ones naming resolution to upscale, the others stay enhance. Outpainting templates end in
# "...as described: {caption}" (a slot for a scene caption); that tail is cut off.
PIXWIZARD = {'sr': 'enhance', 'outpainting': 'expand', 'restoration_face': 'enhance', 'restoration_nature': 'enhance',
             'lowlight_enhance': 'enhance', 'deblur': 'enhance', 'denoise': 'enhance', 'dehaze': 'enhance',
             'dewatermark': 'object-removal'}
CAPTION_TAIL = re.compile(r'\s*(?:as outlined|as described|as specified in the description|according to the description|with the description)?: \{caption\}$')
for task, label in PIXWIZARD.items():
    for text in lines('pixwizard', f'{task}.txt'):
        text = CAPTION_TAIL.sub('', text)
        assert '{' not in text, text
        add(text, 'upscale' if re.search(r'super.resolution', text, re.I) else label, f'pixwizard:{task}')

# IC-Light's quick lighting prompts (Apache-2.0): the ones that name a light, sent with a photo -> relight.
for text in lines('ic-light', 'quick_prompts.txt'):
    add(text, 'relight', 'ic-light:quick_prompts')

# ACE's chatbot examples (Apache-2.0): "{image}" stands for the attached picture; it is dropped where it
# opens the instruction and read as "this image" / "the image" elsewhere.
ACE_LABEL = {'Facial Editing': 'out-of-scope', 'General Editing': 'out-of-scope', 'Add Object': 'out-of-scope',
             'Outpainting': 'expand', 'Mosaic': 'style-transfer', 'Grayscale': 'style-transfer', 'Style Transfer': 'style-transfer',
             'Image Denoising': 'enhance', 'Remove Text': 'object-removal', 'Remove Object': 'object-removal'}
for line in lines('ace', 'examples.txt'):
    task, _, text = line.partition('|')
    text = re.sub(r'^\{image\}\s*', '', text)
    text = re.sub(r'\b(the|this) \{image\}', r'\1 image', text).replace('{image}', 'this image')
    add(text, ACE_LABEL[task], f'ace:{task}')

# PromptFix's validation examples (Apache-2.0). Colourising a photo and removing snow are not features here.
PROMPTFIX = {'color': 'out-of-scope', 'dehazy': 'enhance', 'desnow': 'out-of-scope', 'dewatermark': 'object-removal',
             'lowlight': 'enhance', 'inpaint': 'object-removal'}
for line in lines('promptfix', 'instructions.txt'):
    name, _, text = line.partition('|')
    add(text, PROMPTFIX[re.match(r'[a-z]+', name).group()], 'promptfix:validation')

new_train, new_dev = split(added, random.Random(11))

# Written here (not from any source): requests of the kinds no licensed source had (remove-background,
# reimagine) and a few more phrasings of the rare ones. Train only, never dev.
WRITTEN = [
    ('remove the background', 'remove-background'), ('Can you cut me out of this photo? transparent background please', 'remove-background'),
    ('make the background transparent', 'remove-background'), ('isolate the product from its background', 'remove-background'),
    ('I need a PNG of just the dog, no background', 'remove-background'), ('erase the background behind the shoe', 'remove-background'),
    ('cutout of the person please', 'remove-background'), ('get rid of everything behind her', 'remove-background'),
    ('remove bg', 'remove-background'), ('put the product on a plain white background', 'remove-background'),
    ('xoá phông nền ảnh này', 'remove-background'), ('tach nen giup minh', 'remove-background'),
    ('make another version of this', 'reimagine'), ('give me a few variations of this picture', 'reimagine'),
    ('reimagine this photo', 'reimagine'), ('something similar to this but different', 'reimagine'),
    ('reinterpret this image in a fresh way', 'reimagine'), ('show me a different take on this scene', 'reimagine'),
    ('vary this one a bit', 'reimagine'), ('tạo thêm vài biến thể của ảnh này', 'reimagine'),
    ('upscale this to 4k', 'upscale'), ('make it bigger without losing quality', 'upscale'),
    ('enlarge this photo 2x', 'upscale'), ('I need a high-res version for printing', 'upscale'), ('phóng to ảnh này lên 4 lần', 'upscale'),
    ('zoom out, show more of the room', 'expand'), ('uncrop this photo', 'expand'), ('extend the picture to 16:9', 'expand'),
    ('make it wider, add more sky on top', 'expand'), ('mở rộng khung ảnh sang hai bên', 'expand'),
    ('relight this with warm sunset light', 'relight'), ('add dramatic side lighting', 'relight'),
    ('make the light come from the left', 'relight'), ('give it a soft window light', 'relight'), ('đổi ánh sáng thành ánh hoàng hôn', 'relight'),
    ('make me taller', 'out-of-scope'), ('swap our faces', 'out-of-scope'), ('change my shirt to blue', 'out-of-scope'),
    ('add my grandma next to me', 'out-of-scope'), ('put us on a beach in Hawaii', 'out-of-scope'),
]
VI = re.compile(r'[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]|\b(giup|minh|nen)\b', re.I)
for text, label in WRITTEN:
    assert text.lower() not in seen, text
    seen.add(text.lower())
    new_train.append({'text': text, 'has_image': True, 'label': label, 'source': 'written', 'lang': 'vi' if VI.search(text) else 'en'})

rng2 = random.Random(11)
train += new_train; dev += new_dev
rng2.shuffle(train); rng2.shuffle(dev)
assert not any(item['source'] in ('written', 'translated') for item in dev)
for name, rows in (('train', train), ('dev', dev)):
    with open(os.path.join(HERE, f'{name}.jsonl'), 'w', encoding='utf8') as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + '\n')
print(len(train), len(dev))
