"""Would choosing the NLinear base's ridge on the validation rows help? (Session 14; the answer was no.)

Fits the stepwise NLinear base (blocks of 24 steps, lookback 336) at eight ridges, picks a ridge
on the validation rows (2 % margin over the default 1e-4) either once for all steps ('global') or
per block ('block'), and prints the test MSE at each horizon, default -> chosen, z-scored as
`bin/forecaster evaluate` does. Splits: ETT's when n is 14400 or 57600, else 60/20/20.

    python3 docs/tools/ridge_validation.py ../shared/data/ett/ETTh1.csv MULL 14400 96,192,336,720 block
    python3 docs/tools/ridge_validation.py ../shared/data/ett/ETTh1.csv OT 2000 24,48,96 global
"""
import numpy as np, csv, sys
def load(path, col):
    with open(path) as f:
        r = csv.DictReader(f); return np.array([float(row[col]) for row in r])
L=336; R=[1e-4,1e-3,1e-2,1e-1,0.3,1,3,10]
def feats(z, starts):
    X = np.stack([z[max(0,s-L+1):s+1] if s-L+1>=0 else np.concatenate([np.full(L-s-1,z[0]),z[:s+1]]) for s in starts]) - z[starts][:,None]
    return np.hstack([X, np.ones((len(X),1))])
def main(path,col,n,Hs,mode):
    x=load(path,col)[:n]
    if n==14400: tr,va,te=(0,8640),(8640,11520),(11520,14400)
    elif n==57600: tr,va,te=(0,34560),(34560,46080),(46080,57600)
    else: a=int(n*.6); b=int(n*.8); tr,va,te=(0,a),(a,b),(b,n)
    mu,sd=x[tr[0]:tr[1]].mean(),x[tr[0]:tr[1]].std(); z=(x-mu)/sd
    Hmax=max(Hs); ends=sorted(set(list(range(24,Hmax,24))+[Hmax]+Hs))
    vo=np.arange(va[0]-1,va[1]-1); vo=vo[::max(1,len(vo)//400)]
    Xv=feats(z,vo)
    to=np.arange(te[0]-1,te[1]-1); Xt=feats(z,to)
    Wd=np.zeros((L+1,Hmax)); Wc=np.zeros((L+1,Hmax)); prev=0; picks=[]
    # global choice data
    Wall={r:np.zeros((L+1,Hmax)) for r in R}
    for e in ends:
        st=np.arange(max(L-1,tr[0]),tr[1]-e); X=feats(z,st); Y=np.stack([z[s+1+prev:s+1+e]-z[s] for s in st])
        G=X.T@X; B=X.T@Y; diag=np.mean(np.diag(G)[:-1])
        for r in R:
            P=np.eye(L+1)*r*diag; P[-1,-1]=0; Wall[r][:,prev:e]=np.linalg.solve(G+P,B)
        prev=e
    def valmse(W, lo, hi):
        P=Xv@W[:,lo:hi]; s=0;c=0
        for i,o in enumerate(vo):
            k=min(hi, va[1]-1-o)-lo
            if k<=0: continue
            e=P[i,:k]-(z[o+1+lo:o+1+lo+k]-z[o]); s+=np.sum(e*e); c+=k
        return s/c if c else np.nan
    prev=0
    if mode=='global':
        base=valmse(Wall[1e-4],0,Hmax); best=min(R,key=lambda r: valmse(Wall[r],0,Hmax))
        pick = best if valmse(Wall[best],0,Hmax) < base*0.98 else 1e-4
        Wc=Wall[pick]; picks=[pick]
    else:
        for e in ends:
            base=valmse(Wall[1e-4],prev,e); vals={r:valmse(Wall[r],prev,e) for r in R}
            best=min(R,key=lambda r: vals[r]); pick = best if vals[best]<base*0.98 else 1e-4
            Wc[:,prev:e]=Wall[pick][:,prev:e]; picks.append(pick); prev=e
    out=[]
    for H in Hs:
        oo=np.arange(te[0]-1,te[1]-1-H); Xo=Xt[:len(oo)]
        Y=np.stack([z[o+1:o+1+H]-z[o] for o in oo])
        d=np.mean((Xo@Wall[1e-4][:,:H]-Y)**2); c=np.mean((Xo@Wc[:,:H]-Y)**2)
        out.append(f"{H}:{d:.4f}->{c:.4f}({100*(c/d-1):+.1f}%)")
    print(mode, col, n, " ".join(out), "picks", sorted(set(picks)))
main(sys.argv[1],sys.argv[2],int(sys.argv[3]),[int(h) for h in sys.argv[4].split(',')],sys.argv[5])
