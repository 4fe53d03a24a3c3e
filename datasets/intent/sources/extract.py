"""How the excerpts under sources/ were cut from the upstream repositories (kept for the record; build.py
does not need it). Needs bare git snapshots of the repositories at the commits in README.md, passed as
MIRROR=<dir holding owner+name/repo>. Writes only the lines build.py uses, plus each licence.
Run: MIRROR=/path python3 datasets/intent/sources/extract.py
"""
import json, os, random, re, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
MIRROR = os.environ.get('MIRROR', '/work/.mirror')

def show(repo, commit, path):
    return subprocess.run(['git', '--git-dir', os.path.join(MIRROR, repo, 'repo'), 'show', f'{commit}:{path}'],
                          check=True, capture_output=True, text=True).stdout

def write(name, fname, text):
    os.makedirs(os.path.join(HERE, name), exist_ok=True)
    with open(os.path.join(HERE, name, fname), 'w', encoding='utf8') as out:
        out.write(text)

# I2EBench: replays the selection of the first build (seed 11, N random distinct instructions a task) and
# keeps the selected instructions only, in selection order, plus each task's count of distinct
# instructions (build.py needs the counts to replay the same random sequence).
I2E, I2E_COMMIT = 'cocoshe+I2EBench', '7de50e3fb82c4cc2073700d727c6cecd50b68f0d'
TASKS = [('Deblurring', 30), ('NoiseRemoval', 20), ('HazeRemoval', 20), ('Lowlight', 25), ('ObjectRemoval', 50),
         ('WatermarkRemoval', 30), ('StyleAlteration', 60), ('BGReplacement', 20), ('ColorAlteration', 14),
         ('Replacement', 14), ('Counting', 10), ('DirectionPerception', 10), ('RainRemoval', 8), ('SnowRemoval', 8)]
rng, seen, counts = random.Random(11), set(), {}
for task, count in TASKS:
    data = json.loads(show(I2E, I2E_COMMIT, f'EditData/{task}/{task}.json'))
    texts = []
    for entry in data.values():
        for key in ('div_exp', 'ori_exp'):
            text = (entry.get(key) or '').strip()
            if text and text.lower() not in seen:
                seen.add(text.lower()); texts.append(text)
    counts[task] = len(texts)
    rng.shuffle(texts)
    write('i2ebench', f'{task}.txt', ''.join(t + '\n' for t in texts[:count]))
write('i2ebench', 'distinct_counts.json', json.dumps(counts, indent=1) + '\n')
write('i2ebench', 'LICENSE', show(I2E, I2E_COMMIT, 'LICENSE'))

# T2I-CompBench: the 105 hand-picked prompts, "<file>|<prompt>" in the order of the first build.
T2I, T2I_COMMIT = 'Karine-Huang+T2I-CompBench', '1b7094991a57f3c22abdd4f6e8ba6c1a15517073'
picked = open(os.environ.get('T2I_PICKED', os.path.join(HERE, 't2i-compbench', 'prompts.txt')), encoding='utf8').read().splitlines()
for line in picked:  # every picked prompt is a whole line of the named file
    name, _, text = line.partition('|')
    assert text in show(T2I, T2I_COMMIT, f'examples/dataset/{name}_val.txt').split('\n'), line
write('t2i-compbench', 'License.txt', show(T2I, T2I_COMMIT, 'License.txt'))

# PixWizard: instruction templates, one file per task (whole files).
PIX, PIX_COMMIT = 'AFeng-x+PixWizard', 'cb39454ca1fe72ca41505c9cd3d5c54b412ad48e'
for task in ('sr', 'outpainting', 'restoration_face', 'restoration_nature', 'lowlight_enhance', 'deblur', 'denoise',
             'dehaze', 'dewatermark'):
    write('pixwizard', f'{task}.txt', show(PIX, PIX_COMMIT, f'prompts/{task}.txt').rstrip('\n') + '\n')
write('pixwizard', 'LICENSE', show(PIX, PIX_COMMIT, 'LICENSE'))

# IC-Light: the quick lighting prompts of gradio_demo.py.
ICL, ICL_COMMIT = 'lllyasviel+IC-Light', 'bcf3f29ca85be8a4686215f477b546f5030be8b7'
src = show(ICL, ICL_COMMIT, 'gradio_demo.py')
block = src[src.index('quick_prompts = ['):src.index(']', src.index('quick_prompts = ['))]
USED = {'sunshine from window', 'neon light, city', 'golden time', 'natural lighting', 'magic lit', 'light and shadow',
        'shadow from window', 'soft studio lighting', 'home atmosphere, cozy bedroom illumination'}  # the ones that name a light
write('ic-light', 'quick_prompts.txt', ''.join(p + '\n' for p in re.findall(r"'([^']*)'", block) if p in USED))
write('ic-light', 'LICENSE', show(ICL, ICL_COMMIT, 'LICENSE'))

# ACE: the instructions of chatbot/example.py that build.py uses ("<task>|<instruction>", as written there).
ACE, ACE_COMMIT = 'ali-vilab+ACE', '886bf9510b858e9e99c463efd679d0b79926e4dc'
import ast, io, tokenize
ACE_TASKS = {'Facial Editing', 'Outpainting', 'Mosaic', 'Grayscale', 'Image Denoising', 'Remove Text', 'Remove Object',
             'Add Object', 'Style Transfer', 'General Editing'}
rows, task = [], None
for tok in tokenize.generate_tokens(io.StringIO(show(ACE, ACE_COMMIT, 'chatbot/example.py')).readline):
    if tok.type != tokenize.STRING:
        continue
    value = ast.literal_eval(tok.string)
    if re.fullmatch(r'[A-Z][A-Za-z ]+', value):
        task = value
    elif '{image}' in value and '{image1}' not in value and task in ACE_TASKS:
        rows.append(f'{task}|{value}')
write('ace', 'examples.txt', ''.join(r + '\n' for r in rows))
write('ace', 'LICENSE', show(ACE, ACE_COMMIT, 'LICENSE'))

# PromptFix: the validation examples' instructions ("<file>|<instruction>").
PF, PF_COMMIT = 'yeates+PromptFix', '5c8a34db6a38b865a28ec194b1c1765b910cf102'
data = json.loads(show(PF, PF_COMMIT, 'examples/validation/instructions.json'))
# inpaint2 ("Extract the boy from the image.") is left out: it reads as a cut-out but the example removes the boy.
write('promptfix', 'instructions.txt', ''.join(f'{k}|{v[0]}\n' for k, v in data.items() if k != 'inpaint2.jpg'))
write('promptfix', 'LICENSE', show(PF, PF_COMMIT, 'LICENSE'))
