"""compat-matrix harness: polytls backends x independent client stacks."""
