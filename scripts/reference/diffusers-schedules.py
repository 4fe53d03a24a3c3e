#!/usr/bin/env python3
"""Reference numbers for Darkroom's diffusion schedulers, from Hugging Face diffusers' own scheduler classes.

The TypeScript schedulers in packages/providers/local/src/diffusion/schedulers/ are tested against the JSON
this prints (committed there as diffusers-schedules.json); CI reads the committed file and needs neither
Python nor torch. Regenerate it only to move to another diffusers version, and say so in the commit.

What runs: diffusers' real EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, DDIMScheduler and
LCMScheduler (and the real `get_timesteps` of StableDiffusionImg2ImgPipeline), built with `from_config` from
the scheduler_config.json values listed below and driven the way diffusers' pipelines drive them:
set_timesteps(steps); latents = noise * init_noise_sigma; for each timestep t: scale_model_input(latents, t),
step(model_output, t, latents). Model outputs, noises and latents are fixed float32 numbers (NumPy's PCG64,
seed 17) that the JSON lists, so the TypeScript side replays the same inputs in the same order.

How to run (Debian 12's system Python; pip and the network are not needed):

    apt-get install -y python3-torch python3-numpy python3-packaging
    git --git-dir=<a diffusers clone>/.git archive <commit> src/diffusers | tar -x -C /tmp/diffusers
    /usr/bin/python3 scripts/reference/diffusers-schedules.py /tmp/diffusers/src <commit> \\
        > packages/providers/local/src/diffusion/schedulers/diffusers-schedules.json

The committed JSON came from diffusers commit 58eb52c0803ea9af3abec60841c2a093bdf1f951 (0.40.0.dev0) on
torch 1.13.0 (Debian's python3-torch) and NumPy 1.24.2.

Shims (the least that lets diffusers import here; none touches scheduler arithmetic):
- `huggingface_hub` and `tqdm` are not installed: they load as empty stand-in modules (downloads, hub errors,
  progress bars — nothing a scheduler computes with).
- torch 1.13 has no `torch.xpu` or `torch.mps`; diffusers.utils.torch_utils only looks their functions up
  into device tables at import, so both are given as empty stand-ins.
- The stochastic schedulers draw noise with `randn_tensor`; each scheduler module's `randn_tensor` is
  replaced by one that hands out the next listed noise tensor, so the noise diffusers adds is the noise the
  JSON lists (in the order drawn) and the TypeScript `noise()` callback replays.
"""

import copy
import importlib.abc
import importlib.machinery
import json
import sys
import types

import numpy as np

if len(sys.argv) != 3:
    sys.exit("usage: diffusers-schedules.py <diffusers checkout>/src <diffusers commit>")
DIFFUSERS_SRC, DIFFUSERS_COMMIT = sys.argv[1], sys.argv[2]


class _Anything(str):
    """A stand-in for any name of a stubbed module: a string, a callable, a decorator."""

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return self

    def __getattr__(self, name):
        return _Anything(name)


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name[:1].isupper() and not name.isupper():  # a class name: an exception type diffusers may catch
            stand_in = type(name, (Exception,), {})
            setattr(self, name, stand_in)
            return stand_in
        return _Anything(name)


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    stubbed = {"huggingface_hub", "tqdm"}

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.stubbed:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        module.__version__ = "0.0.0"
        return module

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _StubFinder())

import torch  # noqa: E402

for backend in ("xpu", "mps"):
    if not hasattr(torch, backend):
        setattr(torch, backend, _StubModule("torch." + backend))

sys.path.insert(0, DIFFUSERS_SRC)
import diffusers  # noqa: E402
from diffusers import (  # noqa: E402
    DDIMScheduler,
    DPMSolverMultistepScheduler,
    EulerAncestralDiscreteScheduler,
    LCMScheduler,
)

CLASSES = {
    "euler-ancestral": EulerAncestralDiscreteScheduler,
    "dpm-solver-multistep": DPMSolverMultistepScheduler,
    "ddim": DDIMScheduler,
    "lcm": LCMScheduler,
}


class _NoiseTape:
    """Stands in for randn_tensor: hands out the listed noise tensors in order and counts the draws."""

    def __init__(self):
        self.queue = []
        self.drawn = []

    def load(self, tensors):
        self.queue = list(tensors)
        self.drawn = []

    def __call__(self, shape, generator=None, device=None, dtype=None, layout=None):
        noise = self.queue.pop(0)
        assert tuple(noise.shape) == tuple(shape), (noise.shape, shape)
        self.drawn.append(noise)
        return noise.to(dtype=dtype or torch.float32)


TAPE = _NoiseTape()
for cls in CLASSES.values():
    sys.modules[cls.__module__].randn_tensor = TAPE


def _img2img_get_timesteps():
    """StableDiffusionImg2ImgPipeline.get_timesteps, compiled from diffusers' source without importing the
    pipeline module (which needs transformers)."""
    import ast

    path = f"{DIFFUSERS_SRC}/diffusers/pipelines/stable_diffusion/pipeline_stable_diffusion_img2img.py"
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "get_timesteps":
            namespace = {}
            exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
            return namespace["get_timesteps"]
    raise LookupError("get_timesteps not found in " + path)


GET_TIMESTEPS = _img2img_get_timesteps()

# The scheduler_config.json each model publishes, retyped here (the script needs no network); keys no scheduler
# here reads are kept, since from_config is given the whole file. The last three are not models: they cover the
# class defaults, cosine betas and trained_betas.
CONFIGS = {
    # runwayml/stable-diffusion-v1-5 (the SD 1.x default, PNDM)
    "sd15": {
        "_class_name": "PNDMScheduler",
        "_diffusers_version": "0.6.0",
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "num_train_timesteps": 1000,
        "set_alpha_to_one": False,
        "skip_prk_steps": True,
        "steps_offset": 1,
        "trained_betas": None,
        "clip_sample": False,
    },
    # stabilityai/stable-diffusion-2-1 (768 px, v-prediction)
    "sd21-v": {
        "_class_name": "DDIMScheduler",
        "_diffusers_version": "0.8.0",
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "clip_sample": False,
        "num_train_timesteps": 1000,
        "prediction_type": "v_prediction",
        "set_alpha_to_one": False,
        "skip_prk_steps": True,
        "steps_offset": 1,
        "trained_betas": None,
    },
    # stabilityai/stable-diffusion-xl-base-1.0
    "sdxl": {
        "_class_name": "EulerDiscreteScheduler",
        "_diffusers_version": "0.19.0.dev0",
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "clip_sample": False,
        "interpolation_type": "linear",
        "num_train_timesteps": 1000,
        "prediction_type": "epsilon",
        "sample_max_value": 1.0,
        "set_alpha_to_one": False,
        "skip_prk_steps": True,
        "steps_offset": 1,
        "timestep_spacing": "leading",
        "trained_betas": None,
        "use_karras_sigmas": False,
    },
    # stabilityai/sdxl-turbo (trailing spacing, for 1 to 4 steps)
    "turbo": {
        "_class_name": "EulerAncestralDiscreteScheduler",
        "_diffusers_version": "0.24.0.dev0",
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "clip_sample": False,
        "interpolation_type": "linear",
        "num_train_timesteps": 1000,
        "prediction_type": "epsilon",
        "sample_max_value": 1.0,
        "set_alpha_to_one": False,
        "skip_prk_steps": True,
        "steps_offset": 1,
        "timestep_spacing": "trailing",
        "trained_betas": None,
        "use_karras_sigmas": False,
    },
    # SimianLuo/LCM_Dreamshaper_v7 (a distilled LCM; LCM-LoRA runs LCMScheduler.from_config on its base's config)
    "lcm": {
        "_class_name": "LCMScheduler",
        "_diffusers_version": "0.22.0.dev0",
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "beta_start": 0.00085,
        "clip_sample": False,
        "clip_sample_range": 1.0,
        "dynamic_thresholding_ratio": 0.995,
        "num_train_timesteps": 1000,
        "original_inference_steps": 50,
        "prediction_type": "epsilon",
        "rescale_betas_zero_snr": False,
        "sample_max_value": 1.0,
        "set_alpha_to_one": True,
        "steps_offset": 1,
        "thresholding": False,
        "timestep_scaling": 10.0,
        "timestep_spacing": "leading",
        "trained_betas": None,
    },
    # Every class default (for most classes linear betas 0.0001..0.02).
    "defaults": {},
    # Cosine (squaredcos_cap_v2) betas with clipping on, as pixel-space models use.
    "cosine": {"beta_schedule": "squaredcos_cap_v2", "clip_sample": True, "prediction_type": "sample"},
    # 100 training steps given as trained_betas (linear 0.001..0.05).
    "trained-betas": {
        "num_train_timesteps": 100,
        "trained_betas": [float(b) for b in np.linspace(0.001, 0.05, 100)],
        "timestep_spacing": "trailing",
    },
}

KARRAS = {"use_karras_sigmas": True}

# (name, config, config overrides written into the config the TypeScript side reads, kind, steps, img2img strength)
RUNS = [
    ("sd15 euler-ancestral 20", "sd15", {}, "euler-ancestral", 20, 0.6),
    ("sd15 dpm-solver-multistep 20", "sd15", {}, "dpm-solver-multistep", 20, 0.6),
    ("sd15 dpm-solver-multistep karras 25", "sd15", KARRAS, "dpm-solver-multistep", 25, 0.75),
    ("sd15 dpm-solver-multistep 16 (lower_order_final off from 15 steps)", "sd15", {}, "dpm-solver-multistep", 16, None),
    ("sd15 ddim 20", "sd15", {}, "ddim", 20, 0.6),
    ("sd15 lcm 4 (LCM-LoRA)", "sd15", {}, "lcm", 4, 0.5),
    ("sd21-v euler-ancestral 20", "sd21-v", {}, "euler-ancestral", 20, 0.6),
    ("sd21-v dpm-solver-multistep 20", "sd21-v", {}, "dpm-solver-multistep", 20, 0.6),
    ("sd21-v dpm-solver-multistep karras 20", "sd21-v", KARRAS, "dpm-solver-multistep", 20, None),
    ("sd21-v ddim 20", "sd21-v", {}, "ddim", 20, 0.6),
    ("sd21-v lcm 4", "sd21-v", {}, "lcm", 4, None),
    ("sdxl euler-ancestral 30", "sdxl", {}, "euler-ancestral", 30, 0.3),
    ("sdxl dpm-solver-multistep 30", "sdxl", {}, "dpm-solver-multistep", 30, 0.3),
    ("sdxl dpm-solver-multistep karras 30", "sdxl", KARRAS, "dpm-solver-multistep", 30, 0.3),
    ("sdxl ddim 30", "sdxl", {}, "ddim", 30, None),
    ("turbo euler-ancestral 1", "turbo", {}, "euler-ancestral", 1, None),
    ("turbo euler-ancestral 2", "turbo", {}, "euler-ancestral", 2, 0.5),
    ("turbo euler-ancestral 3", "turbo", {}, "euler-ancestral", 3, None),
    ("turbo euler-ancestral 4", "turbo", {}, "euler-ancestral", 4, 0.5),
    ("turbo dpm-solver-multistep 4", "turbo", {}, "dpm-solver-multistep", 4, 0.5),
    ("turbo ddim 1", "turbo", {}, "ddim", 1, None),
    ("turbo ddim 4", "turbo", {}, "ddim", 4, 0.5),
    ("lcm lcm 4", "lcm", {}, "lcm", 4, 0.5),
    ("lcm lcm 8", "lcm", {}, "lcm", 8, 0.5),
    ("lcm lcm 1", "lcm", {}, "lcm", 1, None),
    ("defaults euler-ancestral 10", "defaults", {}, "euler-ancestral", 10, None),
    ("defaults dpm-solver-multistep 10", "defaults", {}, "dpm-solver-multistep", 10, None),
    ("defaults ddim 10", "defaults", {}, "ddim", 10, None),
    ("defaults lcm 4", "defaults", {}, "lcm", 4, None),
    ("cosine ddim 10", "cosine", {}, "ddim", 10, None),
    ("cosine dpm-solver-multistep karras 10", "cosine", KARRAS, "dpm-solver-multistep", 10, None),
    ("cosine euler-ancestral 10", "cosine", {"prediction_type": "epsilon"}, "euler-ancestral", 10, None),
    ("trained-betas euler-ancestral 5", "trained-betas", {}, "euler-ancestral", 5, None),
    ("trained-betas dpm-solver-multistep 5", "trained-betas", {}, "dpm-solver-multistep", 5, None),
    ("trained-betas ddim 5", "trained-betas", {}, "ddim", 5, None),
]

# Timesteps only, for every step count from 1 to 50.
SWEEPS = [
    ("sd15", {}, "euler-ancestral"),
    ("sd15", {}, "dpm-solver-multistep"),
    ("sd15", KARRAS, "dpm-solver-multistep"),
    ("sd15", {}, "ddim"),
    ("sd15", {}, "lcm"),
    ("sdxl", {}, "euler-ancestral"),
    ("sdxl", {}, "dpm-solver-multistep"),
    ("sdxl", {}, "ddim"),
    ("turbo", {}, "euler-ancestral"),
    ("turbo", {}, "dpm-solver-multistep"),
    ("turbo", {}, "ddim"),
    ("lcm", {}, "lcm"),
    ("cosine", KARRAS, "dpm-solver-multistep"),
]

LENGTH = 8  # numbers per latent: a 1×2×2×2 tensor
RNG = np.random.default_rng(17)


def _normal():
    return torch.from_numpy(RNG.standard_normal(LENGTH).astype(np.float32)).reshape(1, 2, 2, 2)


def _float32(value):
    """A float32 value written in the fewest digits that still read back as that float32 (NumPy's repr)."""
    return float(repr(np.float32(value)))


def _numbers(tensor):
    """A float32 tensor as a list of numbers, or a 0-dimensional one (or a Python number) as a number."""
    if isinstance(tensor, torch.Tensor) and tensor.dim() > 0:
        return [_float32(x) for x in tensor.flatten().tolist()]
    return _float32(float(tensor))


def _timesteps(scheduler, kind):
    """Euler ancestral's timesteps are float32 (fractional with linspace spacing); the others' are int64."""
    values = scheduler.timesteps.tolist()
    return [_float32(t) for t in values] if kind == "euler-ancestral" else [int(t) for t in values]


def _create(config, kind, steps):
    scheduler = CLASSES[kind].from_config(config)
    scheduler.set_timesteps(steps)
    return scheduler


def _denoise(scheduler, latents, timesteps, model_outputs, noises):
    """diffusers' pipeline loop; returns, per step, the scaled input, the drawn noise, the step's results."""
    steps = []
    for t, model_output, noise in zip(timesteps, model_outputs, noises):
        TAPE.load([noise])
        scaled = scheduler.scale_model_input(latents, t)
        result = scheduler.step(model_output, t, latents)
        if isinstance(scheduler, LCMScheduler):
            denoised = result.denoised
        elif isinstance(scheduler, DPMSolverMultistepScheduler):
            denoised = scheduler.model_outputs[-1]  # convert_model_output's x0 prediction
        else:
            denoised = result.pred_original_sample
        steps.append(
            {
                "model_output": _numbers(model_output),
                # the noise step() drew, or null when it drew none
                "noise": _numbers(noise) if TAPE.drawn else None,
                # null where scale_model_input returned the sample unchanged
                "scaled_input": None if torch.equal(scaled, latents) else _numbers(scaled),
                "prev_sample": _numbers(result.prev_sample),
                "denoised": _numbers(denoised),
            }
        )
        latents = result.prev_sample
    return steps


def _run(name, config_name, overrides, kind, steps, strength):
    config = {**CONFIGS[config_name], **overrides}
    scheduler = _create(config, kind, steps)
    sigmas = getattr(scheduler, "sigmas", None) if kind in ("euler-ancestral", "dpm-solver-multistep") else None
    init_noise_sigma = scheduler.init_noise_sigma
    count = len(scheduler.timesteps)

    initial_noise = _normal()
    latents = initial_noise * init_noise_sigma
    model_outputs = [_normal() for _ in range(count)]
    noises = [_normal() for _ in range(count)]
    run = {
        "initial_noise": _numbers(initial_noise),
        "initial_sample": _numbers(latents),
        "steps": _denoise(scheduler, latents, scheduler.timesteps, model_outputs, noises),
    }

    original, noise = _normal(), _normal()
    add_noise = []
    for index in range(count):
        fresh = _create(config, kind, steps)
        if hasattr(fresh, "set_begin_index"):
            fresh.set_begin_index(index)
        add_noise.append(_numbers(fresh.add_noise(original, noise, fresh.timesteps[index : index + 1])))

    case = {
        "name": name,
        "config": config,
        "kind": kind,
        "diffusers_class": CLASSES[kind].__name__,
        "steps": steps,
        "timesteps": _timesteps(scheduler, kind),
        "sigmas": None if sigmas is None else _numbers(sigmas),
        "init_noise_sigma": _numbers(init_noise_sigma),
        "order": scheduler.order,
        "run": run,
        "add_noise": {"original": _numbers(original), "noise": _numbers(noise), "by_step": add_noise},
    }

    if strength is not None:
        img2img = _create(config, kind, steps)
        pipeline = types.SimpleNamespace(scheduler=img2img)
        timesteps, remaining = GET_TIMESTEPS(pipeline, steps, strength, "cpu")
        t_start = count - remaining
        image_latents, image_noise = _normal(), _normal()
        latents = img2img.add_noise(image_latents, image_noise, timesteps[:1])
        outputs = [_normal() for _ in range(remaining)]
        step_noises = [_normal() for _ in range(remaining)]
        case["img2img"] = {
            "strength": strength,
            "start": t_start,
            "image_latents": _numbers(image_latents),
            "noise": _numbers(image_noise),
            "initial_sample": _numbers(latents),
            "steps": _denoise(img2img, latents, timesteps, outputs, step_noises),
        }
    return case


def _sweep(config_name, overrides, kind):
    config = {**CONFIGS[config_name], **overrides}
    by_steps = {}
    for steps in range(1, 51):
        scheduler = _create(config, kind, steps)
        by_steps[str(steps)] = _timesteps(scheduler, kind)
    return {"config": config, "kind": kind, "timesteps": by_steps}


def _strength_starts():
    """get_timesteps' first step for each step count and strength (the scheduler's own order is 1)."""
    starts = []
    for steps in (1, 2, 3, 4, 7, 20, 25, 30, 50):
        for strength in (0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.95, 1.0):
            scheduler = _create(CONFIGS["sd15"], "ddim", steps)
            _, remaining = GET_TIMESTEPS(types.SimpleNamespace(scheduler=scheduler), steps, strength, "cpu")
            starts.append({"steps": steps, "strength": strength, "start": steps - remaining})
    return starts


output = {
    "source": (
        "scripts/reference/diffusers-schedules.py: Hugging Face diffusers' scheduler classes run with torch; "
        "see the script's header for how and with which shims"
    ),
    "diffusers_commit": DIFFUSERS_COMMIT,
    "diffusers_version": diffusers.__version__,
    "torch_version": torch.__version__,
    "numpy_version": np.__version__,
    "cases": [_run(*run) for run in RUNS],
    "sweeps": [_sweep(*sweep) for sweep in SWEEPS],
    "strength_starts": _strength_starts(),
}

def _compact(value):
    return json.dumps(value, separators=(",", ":"))


# One case, sweep or start per line, so a regenerated file diffs readably.
lines = [f"{_compact(key)}:{_compact(value)}" for key, value in output.items() if not isinstance(value, list)]
lines += [f"{_compact(key)}:[\n" + ",\n".join(map(_compact, value)) + "\n]" for key, value in output.items() if isinstance(value, list)]
sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n")
