#!/usr/bin/env python3
"""Validation and test MSE of NLinear at one horizon for a grid of ridge penalties.

The penalty is relative to the lags' mean Gram diagonal and the bias goes unpenalised, as in
NLinear.java; values are z-normalised with the train rows' mean and std, origins every row, as in
`forecaster evaluate`. At the smallest penalty the test MSE is the `nlinear` row's. Used for the
"Validated ridge for the base" section of docs/evaluation.md:

  python3 docs/tools/ridge-curve/ridge_curve.py ../shared/data/ett/ETTh1.csv OT \
      0:8640 8640:11520 11520:14400 336 96

Arguments: CSV TARGET TRAIN VAL TEST LOOKBACK HORIZON (ranges START:END, 0-based, end exclusive).
"""
import numpy as np, sys, csv
def load(path, col):
    with open(path) as f:
        r=csv.reader(f); hdr=next(r); i=hdr.index(col)
        return np.array([float(row[i]) for row in r])
def windows(x, L, origins):
    idx=origins[:,None]+np.arange(-L+1,1)[None,:]
    idx=np.maximum(idx,0)
    X=x[idx]-x[origins][:,None]
    return np.hstack([X,np.ones((len(origins),1))])
def labels(x, origins, a, b):  # steps a..b-1 (0-based)
    return x[origins[:,None]+1+np.arange(a,b)[None,:]]-x[origins][:,None]
path,col,tr,va,te=sys.argv[1],sys.argv[2],sys.argv[3],sys.argv[4],sys.argv[5]
L=int(sys.argv[6]); H=int(sys.argv[7])
p=lambda s: tuple(map(int,s.split(':')))
tr,va,te=p(tr),p(va),p(te)
x=load(path,col); m=x[tr[0]:tr[1]].mean(); s=x[tr[0]:tr[1]].std(); x=(x-m)/s
o_tr=np.arange(max(L-1,tr[0]-1), tr[1]-1-H+1)
o_va=np.arange(va[0]-1, va[1]-1-H+1)
o_te=np.arange(te[0]-1, te[1]-1-H+1)
Xtr=windows(x,L,o_tr); Ytr=labels(x,o_tr,0,H)
G=Xtr.T@Xtr; B=Xtr.T@Ytr; lags=L; tr_=np.trace(G[:lags,:lags])/lags
Xva=windows(x,L,o_va); Yva=labels(x,o_va,0,H)
Xte=windows(x,L,o_te); Yte=labels(x,o_te,0,H)
print(f"{path.split('/')[-1]} {col} L={L} H={H} train windows {len(o_tr)}  persistence val {np.mean(Yva**2):.4f} test {np.mean(Yte**2):.4f}")
for r in [1e-4,1e-3,1e-2,3e-2,1e-1,3e-1,1,3,10,100]:
    P=np.eye(L+1); P[L,L]=0
    W=np.linalg.solve(G+r*tr_*P,B)
    print(f"ridge {r:8g} val {np.mean((Xva@W-Yva)**2):.5f} test {np.mean((Xte@W-Yte)**2):.5f}")
