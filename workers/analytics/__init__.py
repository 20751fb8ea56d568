"""Pure Polars computations: frames in, frames (or plain values) out, no I/O."""
