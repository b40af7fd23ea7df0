"""The production secret key must be secret and strong (issue 11, item 9).

``SECRET_KEY`` signs sessions, password-reset links and CSRF tokens: whoever knows it can forge a
logged-in session of any user. The development key is printed in this repository, so a server
running with it is open to anyone who has read the code. Production settings call
:func:`require_strong_secret_key` and refuse to start (``ImproperlyConfigured``) when the key is
missing, is the development key, is shorter than 50 characters, or has low entropy.

"Low entropy" is measured on the key itself, without knowing how it was made: fewer than 10
different characters, fewer than 150 bits by the Shannon estimate (length × entropy per character
of the key's own character frequencies), or a short block repeated. A key from
``python -c "import secrets; print(secrets.token_urlsafe(50))"`` (67 characters, about 380 bits by
this estimate) or ``openssl rand -hex 32`` (64 characters, about 240) passes; a word or a phrase
repeated does not. A readable sentence of 50 characters can pass the estimate, which is why the
deployment guide says to generate the key, never to make one up.
"""

from __future__ import annotations

import math
from collections import Counter

from django.core.exceptions import ImproperlyConfigured

# The key of config.settings.base, public in this repository.
DEV_SECRET_KEY = "ganbu-insecure-development-key-change-me-in-production"
MIN_LENGTH = 50
MIN_DISTINCT = 10
MIN_BITS = 150

HOW_TO = (
    "生成方法 / generate one with: "
    'python -c "import secrets; print(secrets.token_urlsafe(50))"（见 docs/deploy.md「密钥」）'
)


def _shannon_bits(key: str) -> float:
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def _repeats_a_block(key: str) -> bool:
    """Whether ``key`` is a shorter block written out again and again (``abcabcabc…``)."""
    return any(key == (key[:p] * (len(key) // p + 1))[: len(key)] for p in range(1, len(key) // 2 + 1))


def weak_secret_key_reason(key: str) -> str | None:
    """Why ``key`` may not sign production sessions, in Chinese and English; ``None`` when it may."""
    if not key:
        return "生产环境必须设置 GANBU_SECRET_KEY 环境变量。 / GANBU_SECRET_KEY must be set in production."
    if key == DEV_SECRET_KEY or DEV_SECRET_KEY in key or key.startswith("django-insecure-"):
        return (
            "GANBU_SECRET_KEY 是代码库中公开的开发密钥，任何看过代码的人都能伪造登录会话。"
            " / GANBU_SECRET_KEY is the public development key:"
            " anyone who read the code could forge a session."
        )
    if len(key) < MIN_LENGTH:
        return (
            f"GANBU_SECRET_KEY 太短（{len(key)} 个字符），至少需要 {MIN_LENGTH} 个字符。"
            f" / GANBU_SECRET_KEY is too short ({len(key)} characters); at least {MIN_LENGTH} are needed."
        )
    if len(set(key)) < MIN_DISTINCT or _shannon_bits(key) < MIN_BITS or _repeats_a_block(key):
        return (
            "GANBU_SECRET_KEY 随机性太低（字符种类太少或有重复规律），容易被猜出。"
            " / GANBU_SECRET_KEY has low entropy (too few different characters, or a repeated pattern)."
        )
    return None


def require_strong_secret_key(key: str) -> str:
    """``key`` if it is fit for production; otherwise ``ImproperlyConfigured`` with the reason."""
    reason = weak_secret_key_reason(key)
    if reason is not None:
        raise ImproperlyConfigured(f"{reason} {HOW_TO}")
    return key
