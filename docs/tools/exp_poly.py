#!/usr/bin/env python3
"""Fits the polynomial of the vector kernels' float exp (VectorPanels.exp) and prints its error.

The kernel computes e^x = 2^k * e^r with |r| <= ln2/2 and e^r = 1 + r*(1 + r*q(r)), q ~ (e^r - 1 - r)/r^2.
This fits q of the given degree (Lawson-weighted least squares on Chebyshev nodes, i.e. close to
minimax for the relative error of e^r), rounds its coefficients to float, and evaluates the Horner
form with one float rounding per step (as the fused multiply-adds do), next to the degree-5 q of
Cephes' expf, which the kernel uses. Session 24 tried q of degree 4 (one FMA less per exp, the
same 6e-8): about 1 % faster, but the LSTM's largest difference from DL4J over 1000 steps grew
from 2e-6 to 5-6e-6 (tolerance 1e-5), so the kernel kept Cephes (docs/kernel.md, "Session 24").

  python3 docs/tools/exp_poly.py 4     # the degree of q; e^r's degree is two more
"""
import sys

import numpy as np

HALF_LN2 = np.log(2) / 2
CEPHES = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1,
          5.0000001201e-1]


def fit(degree):
    x = np.cos(np.pi * (np.arange(4000) + 0.5) / 4000) * HALF_LN2
    y = np.where(np.abs(x) > 1e-8, (np.expm1(x) - x) / x ** 2, 0.5)
    # An error d in q is an error r^2*d in e^r: weight by r^2 / e^r for the relative error.
    w = x ** 2 / np.exp(x)
    v = np.vander(x, degree + 1)
    lawson = np.ones_like(x)
    for _ in range(200):
        s = w * np.sqrt(lawson)
        coef, *_ = np.linalg.lstsq(v * s[:, None], y * s, rcond=None)
        err = np.abs((v @ coef - y) * w)
        lawson *= err
        lawson /= lawson.sum()
    return [float(np.float32(c)) for c in coef]


def float_error(coef):
    """Largest relative error of 1 + r*(1 + r*q(r)) over |r| <= ln2/2, rounded to float per FMA."""
    r = np.linspace(-HALF_LN2, HALF_LN2, 400001).astype(np.float32).astype(np.float64)
    p = np.full(r.shape, np.float32(coef[0]), dtype=np.float64)
    for c in coef[1:] + [1.0, 1.0]:
        p = (p * r + np.float64(np.float32(c))).astype(np.float32).astype(np.float64)
    return float(np.max(np.abs(p - np.exp(r)) / np.exp(r)))


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit('usage: exp_poly.py DEGREE_OF_Q')
    coef = fit(int(sys.argv[1]))
    print('q coefficients, highest power first:', ', '.join(repr(c) + 'f' for c in coef))
    print('relative error of e^r, float FMAs: %.3g' % float_error(coef))
    print('Cephes expf (degree 5 q), same evaluation: %.3g' % float_error(CEPHES))


if __name__ == '__main__':
    main()
