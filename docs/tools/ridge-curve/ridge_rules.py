#!/usr/bin/env python3
"""How the stepwise NLinear base's ridge choice does on every column of an ETT file, in numpy.

Blocks of 24 steps up to 720 (lookback 336), each fitted on every train window with labels up to
the block's end, as NLinear.stepwise does; test MSE over every test origin, steps up to H or the
end of the test rows, on z-normalised values. Per column and horizon it prints the test MSE and
its change against the default ridge (1e-4) for four rules of choosing each block's penalty:

  default    1e-4 everywhere (the NLinear baseline's penalty)
  argmin     the grid point with the smallest validation SSE (session 21's rule)
  avg0       the average of the argmin fit and the default fit (session 22's rule, NLinear.hedge)
  argmin-1   one grid point below the argmin

  python3 docs/tools/ridge-curve/ridge_rules.py ETTh1 1     # ETTh1's split
  python3 docs/tools/ridge-curve/ridge_rules.py ETTm1 4     # ETTm1's (rows x 4)

Reads ../shared/data/ett/NAME.csv from the project root; about 1 min (ETTh1) and 2 min (ETTm1).
"""
import numpy as np, csv, sys
GRID=[1e-4,1e-3,1e-2,3e-2,1e-1,3e-1,1]
def load(path):
    with open(path) as f:
        r=csv.reader(f); hdr=next(r); rows=[row for row in r]
    return hdr, np.array([[float(v) for v in row[1:]] for row in rows])
def windows(x,L,o):
    idx=np.maximum(o[:,None]+np.arange(-L+1,1)[None,:],0)
    return np.hstack([x[idx]-x[o][:,None], np.ones((len(o),1))])
def run(x, tr, va, te, L=336, H=720, B=24, hs=(96,192,336,720)):
    m=x[tr[0]:tr[1]].mean(); s=x[tr[0]:tr[1]].std(); x=(x-m)/s
    res={}
    ends=list(range(B,H+1,B))
    # per block: val SSE per ridge, test preds per ridge
    o_te=np.arange(te[0]-1, te[1]-1-1+1)   # all test origins with >=1 step
    Xte=windows(x,L,o_te)
    preds={r:np.full((len(o_te),H),np.nan) for r in GRID}
    valsse=np.zeros((len(ends),len(GRID))); valn=np.zeros(len(ends))
    start=0
    for bi,e in enumerate(ends):
        o_tr=np.arange(max(L-1,tr[0]), tr[1]-1-e+1)
        X=windows(x,L,o_tr); Y=x[o_tr[:,None]+1+np.arange(start,e)[None,:]]-x[o_tr][:,None]
        G=X.T@X; Bm=X.T@Y; t=np.trace(G[:L,:L])/L
        o_va=np.arange(max(va[0]-1,L-1), va[1]-1-e+1)
        Xv=windows(x,L,o_va); Yv=x[o_va[:,None]+1+np.arange(start,e)[None,:]]-x[o_va][:,None]
        P=np.eye(L+1); P[L,L]=0
        for ri,r in enumerate(GRID):
            W=np.linalg.solve(G+r*t*P,Bm)
            valsse[bi,ri]=np.sum((Xv@W-Yv)**2); valn[bi]=Yv.size
            preds[r][:,start:e]=Xte@W + x[o_te][:,None]
        start=e
    def score(choice):  # choice: ridge index per block, or (i,j) pair averaged
        P_=np.zeros((len(o_te),H))
        for bi,e in enumerate(ends):
            ch=choice[bi]
            if isinstance(ch,tuple):
                P_[:,e-B:e]=0.5*(preds[GRID[ch[0]]][:,e-B:e]+preds[GRID[ch[1]]][:,e-B:e])
            else:
                P_[:,e-B:e]=preds[GRID[ch]][:,e-B:e]
        out={}
        for h in hs:
            se=[];
            for j,o in enumerate(o_te):
                n=min(h, te[1]-1-o)
                if n<=0: continue
                se.append((P_[j,:n]-x[o+1:o+1+n])**2)
            out[h]=np.mean(np.concatenate(se))
        return out
    rules={}
    rules['default']=[0]*len(ends)
    rules['argmin']=[int(np.argmin(v)) for v in valsse]
    rules['avg0']=[(0,int(np.argmin(v))) for v in valsse]
    # geometric-neighbour: argmin one grid step smaller
    rules['argmin-1']=[max(0,int(np.argmin(v))-1) for v in valsse]
    return {k:score(c) for k,c in rules.items()}, rules
name=sys.argv[1]; scale=int(sys.argv[2])
hdr,data=load(f'../shared/data/ett/{name}.csv')
tr=(0,8640*scale); va=(8640*scale,11520*scale); te=(11520*scale,14400*scale)
for ci,col in enumerate(hdr[1:]):
    sc,rules=run(data[:,ci],tr,va,te)
    base=sc['default']
    for k,v in sc.items():
        print(f"{name} {col:5s} {k:10s} " + " ".join(f"{v[h]:.5f}({100*(v[h]/base[h]-1):+.2f}%)" for h in v), flush=True)
