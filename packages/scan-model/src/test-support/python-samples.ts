// Test helper: Python sources in the shape of Hugging Face remote-code repositories (written for these tests).

/** A benign modeling file: the imports and calls real modeling code uses. */
export const BENIGN_MODELING = `# coding=utf-8
"""Tiny example model for remote-code tests."""
import math
import os
import re
import warnings
from dataclasses import dataclass
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from transformers.modeling_utils import PreTrainedModel
from transformers.utils import logging
from .configuration_tiny import TinyConfig

logger = logging.get_logger(__name__)
_CACHE = os.path.join(os.path.dirname(__file__), "cache")


@dataclass
class TinyOutput:
    logits: Optional[torch.Tensor] = None


class TinyAttention(nn.Module):
    def __init__(self, config: TinyConfig):
        super().__init__()
        self.scale = 1.0 / math.sqrt(config.hidden_size)
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        w = F.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1)
        return (w @ v,)


class TinyModel(PreTrainedModel):
    config_class = TinyConfig

    def __init__(self, config):
        super().__init__(config)
        self.attn = TinyAttention(config)
        if os.environ.get("TINY_DEBUG"):
            warnings.warn("debug mode")
        self.post_init()

    def eval(self):  # overrides nn.Module.eval on purpose
        return super().eval()

    def forward(self, x):
        self.compile_flag = torch.compile is not None
        pattern = re.compile(r"\\s+")  # "exec(" in a comment or string is text: eval(x)
        self.note = "os.system('x') and subprocess.run are just words here"
        return TinyOutput(logits=self.attn(x)[0])
`;

export const BENIGN_CONFIG = `from transformers import PretrainedConfig


class TinyConfig(PretrainedConfig):
    model_type = "tiny"

    def __init__(self, hidden_size=8, **kwargs):
        self.hidden_size = hidden_size
        super().__init__(**kwargs)
`;

/** A modeling file that runs a payload at import time (decoded, then executed). */
export const MALICIOUS_MODELING = `import torch
import base64 as b
from torch import nn
import subprocess as sp

PAYLOAD = "cHJpbnQoJ293bmVkJyk="
exec(b.b64decode(PAYLOAD))


class TinyModel(nn.Module):
    def forward(self, x):
        sp.check_output(["id"])
        return x
`;
