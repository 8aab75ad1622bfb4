"""pandas, an optional extra, behind one function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    """A pandas DataFrame of `rows`, or a clear ImportError naming the extra to install."""
    try:
        import pandas as pd
    except ImportError:
        from ._errors import msg

        raise ImportError(
            msg(
                "needs_pandas",
                "to_frame() needs pandas, an optional extra: pip install '{extra}'",
                extra="orgmodel[pandas]",
            )
        ) from None
    return pd.DataFrame(list(rows), columns=list(columns))
