#!/usr/bin/env python3
"""Regenerates the hand-written example inputs in this folder (UTF-16LE + BOM + CRLF for the
legacy CollectLogs-style files, UTF-8 for logs, JSON configs and pastes). The expected findings
live in crates/hnsdoctor/tests/it/examples.rs; examples/README.md describes each scenario.
Not used by the build or the tests: the generated files are checked in."""
import json, os, shutil
R=os.path.dirname(os.path.abspath(__file__))
def w16(p, t):
    p=os.path.join(R,p); os.makedirs(os.path.dirname(p), exist_ok=True)
    t=t.replace('\r\n','\n').replace('\n','\r\n')
    open(p,'wb').write(b'\xff\xfe'+t.encode('utf-16-le'))
def w8(p, t):
    p=os.path.join(R,p); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p,'w',encoding='utf-8').write(t)
def pjson(o):  # PowerShell ConvertTo-Json-ish (4-space indent)
    return json.dumps(o, indent=4)+'\n'

def dyn(start=49152, num=16384):
    return ''.join(f"""
Protocol {p} Dynamic Port Range
---------------------------------
Start Port      : {start}
Number of Ports : {num}

""" for p in ['tcp']) 
def dyn_both(start=49152,num=16384):
    return f"""
Protocol tcp Dynamic Port Range
---------------------------------
Start Port      : {start}
Number of Ports : {num}


Protocol udp Dynamic Port Range
---------------------------------
Start Port      : {start}
Number of Ports : {num}

"""
def excl(ranges, proto='tcp'):
    s=f"\nProtocol {proto} Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n"
    for a,b,adm in ranges:
        s+=f"{a:>10}  {b:>10}{'     *' if adm else ''}\n"
    s+="\n* - Administered port exclusions.\n\n"
    return s

def ver(build, ubr):
    return f"\nMicrosoft Windows [Version 10.0.{build}.{ubr}]\n"

def hotfix(host, rows):
    s="\nSource        Description      HotFixID      InstalledBy          InstalledOn\n------        -----------      --------      -----------          -----------\n"
    for kb,desc,date in rows:
        s+=f"{host:<13} {desc:<16} {kb:<13} NT AUTHORITY\\SYSTEM  {date}\n"
    return s+"\n"

NET_ID="5E0B1A2C-3D4E-4F50-8A61-7B8C9D0E1F20"
def net(name='cbr0', typ='L2Bridge', mgmt='10.240.0.4', subnet='10.244.2.0/24', gw='10.244.2.1'):
    return pjson([{"ActivityId":"0F1E2D3C-4B5A-4968-8776-655443322110","ID":NET_ID,"Name":name,"Type":typ,
        "ManagementIP":mgmt,"NetworkAdapterName":"Ethernet 2","Subnets":[{"AddressPrefix":subnet,"GatewayAddress":gw}],
        "State":1,"Version":38654705666}])
def ep(i, ip, remote=False, state=3, mac=None):
    o={"ID":i,"IPAddress":ip,"MacAddress":mac or "00-15-5D-00-00-01","Name":"Ethernet" if not remote else "remote",
       "PrefixLength":24,"VirtualNetwork":NET_ID,"VirtualNetworkName":"cbr0","State":state,"Version":38654705666,
       "Policies":[]}
    if remote: o["IsRemoteEndpoint"]=True
    else: o["GatewayAddress"]="10.244.2.1"
    return o
def lb(i, vip, ports, backends, dsr=False, state=2):
    return {"ID":i,"IsApplied":state==2,"State":state,"Version":38654705666,
        "Policies":[{"Type":"ELB","VIPs":[vip] if vip else [],"ExternalPort":e,"InternalPort":n,"Protocol":p,"IsDSR":dsr,"ILB":False} for (p,e,n) in ports],
        "References":["/endpoints/"+b.lower() for b in backends]}

KLOG_PORT="E0412 10:15:02.123456    4321 proxier.go:1352] \"Policy creation failed\" err=\"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013) {\\\"Success\\\":false,\\\"Error\\\":\\\"The specified port already exists. \\\",\\\"ErrorCode\\\":2151350291}\"\n"

# 1. 1709 after restart
d='ws1709-after-restart'
w16(d+'/winver.txt', ver(16299,300)+hotfix('K8SWIN1709', [('KB4088776','Security Update','3/14/2018')]))
w16(d+'/dynamicportrange.txt', dyn_both())
w16(d+'/excludedportrange.txt', excl([(5357,5357,False),(50000,50059,True)]))
w16(d+'/network.txt', net())
w16(d+'/endpoint.txt', pjson([ep("A1000000-0000-4000-8000-000000000001","10.244.2.5")]))

# 2. port exhaustion
d='port-exhaustion'
blocks=[]
p=49152
k=0
while p+63<=65535:
    if k not in (7, 90, 180):  # three free 64-port holes
        blocks.append((p,p+63,False))
    p+=64; k+=1
w16(d+'/excludedportrange.txt', excl([(5357,5357,False)]+blocks))
w16(d+'/dynamicportrange.txt', dyn_both())
w8(d+'/kube-proxy.log', "I0412 10:14:58.000001    4321 proxier.go:1112] \"Syncing proxy rules\"\n"+KLOG_PORT+
   "E0412 10:15:32.654321    4321 proxier.go:1352] \"Policy creation failed\" err=\"hcnCreateLoadBalancer failed in Win32: The specified port already exists. (0x803b0013)\"\n")

# 3. stale remote endpoints
d='stale-remote-endpoints'
L1="B1000000-0000-4000-8000-000000000001"; R1="C1000000-0000-4000-8000-000000000001"; R2="C2000000-0000-4000-8000-000000000002"; R3="C3000000-0000-4000-8000-000000000003"
w16(d+'/endpoint.txt', pjson([ep(L1,"10.244.2.5"), ep(R1,"10.244.1.7",True,mac="02-11-0A-F4-01-07"), ep(R2,"10.244.3.9",True,mac="02-11-0A-F4-03-09"), ep(R3,"10.244.2.5",True,mac="02-11-0A-F4-02-05")]))
w16(d+'/policy.txt', pjson([lb("D1000000-0000-4000-8000-000000000001","10.96.0.10",[(17,53,53),(6,53,53)],[L1,R1])]))
w16(d+'/network.txt', net())

# 4. DNS LB missing
d='dns-lb-missing'
w8(d+'/kubeclusterconfig.json', pjson({"Cri":{"Name":"containerd"},"Cni":{"Name":"azure"},"Kubernetes":{"Network":{"ServiceCidr":"10.0.0.0/16","ClusterCidr":"10.244.0.0/16","DnsIp":"10.0.0.10"},"Kubeproxy":{"FeatureGates":["WinDSR=true"]}}}))
w16(d+'/endpoint.txt', pjson([ep(L1,"10.244.2.5")]))
w16(d+'/policy.txt', pjson([lb("D2000000-0000-4000-8000-000000000001","10.0.0.1",[(6,443,443)],[L1])]))
w16(d+'/network.txt', net())

# 5. HNS crash in window
d='hns-crash'
w16(d+'/systemevents.txt', """
TimeCreated      : 4/12/2024 9:58:11 AM
ProviderName     : Service Control Manager
Id               : 7031
LevelDisplayName : Error
Message          : The Host Network Service service terminated unexpectedly.  It has done this 1 time(s).  The
                   following corrective action will be taken in 10000 milliseconds: Restart the service.

TimeCreated      : 4/12/2024 9:58:21 AM
ProviderName     : Service Control Manager
Id               : 7036
LevelDisplayName : Information
Message          : The Host Network Service service entered the running state.

TimeCreated      : 4/12/2024 10:30:00 AM
ProviderName     : Service Control Manager
Id               : 7036
LevelDisplayName : Information
Message          : The Windows Update service entered the stopped state.

""")

# 6. endpoint not attached
d='endpoint-not-attached'
w16(d+'/endpoint.txt', pjson([ep(L1,"10.244.2.5"), ep("B2000000-0000-4000-8000-000000000002","10.244.2.17",state=4)]))
w16(d+'/network.txt', net())

# 7. IPv6 disabled + 0x490 (single paste)
w8('ipv6-disabled.txt', """PS C:\\> reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters

HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters
    Dhcpv6DUID    REG_BINARY    000100012C5E8A1000155DA42001
    DisabledComponents    REG_DWORD    0xff

PS C:\\> Get-Content C:\\k\\kubelet.err.log -Tail 2
E0412 10:11:09.001122    2288 cni.go:385] "Error adding pod to network" err="HNS failed with error : Element not found. (0x490)" pod="default/web-0"
E0412 10:11:19.334455    2288 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to setup network for sandbox: Element not found."
""")

# 8. CNI runtime mismatch
d='cni-runtime-mismatch'
w8(d+'/10-flannel.conflist', pjson({"cniVersion":"0.3.0","name":"vxlan0","plugins":[{"type":"flannel","capabilities":{"portMappings":True,"dns":True},
    "delegate":{"type":"win-overlay","dns":{"Nameservers":["10.96.0.10"],"Search":["svc.cluster.local"]},
    "policies":[{"Name":"EndpointPolicy","Value":{"Type":"OutBoundNAT","ExceptionList":["10.244.0.0/16","10.96.0.0/12"]}}]}}]}))
w16(d+'/scqueryex.txt', """
SERVICE_NAME: containerd
        TYPE               : 10  WIN32_OWN_PROCESS
        STATE              : 4  RUNNING
                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
        WIN32_EXIT_CODE    : 0  (0x0)
        SERVICE_EXIT_CODE  : 0  (0x0)
        CHECKPOINT         : 0x0
        WAIT_HINT          : 0x0
        PID                : 2212
        FLAGS              :

[SC] EnumQueryServicesStatus:OpenService FAILED 1060:

The specified service does not exist as an installed service.

""")

# 9. an error line paste
w8('error-line-paste.txt', 'Failed to create endpoint: hcnCreateEndpoint failed in Win32: The specified IP address is either invalid or reserved. (0x803b002f) {"Success":false,"Error":"The specified IP address is either invalid or reserved. ","ErrorCode":2151350319}\n')

# 10. healthy node
d='healthy-node'
LA="E1000000-0000-4000-8000-000000000001"; LB_="E2000000-0000-4000-8000-000000000002"; RA="F1000000-0000-4000-8000-000000000001"
w16(d+'/winver.txt', ver(20348,2849)+hotfix('KNOTEN-Ü1', [('KB5044281','Security Update','10/8/2024')]))
w16(d+'/dynamicportrange.txt', dyn_both())
w16(d+'/excludedportrange.txt', excl([(5357,5357,False),(49700,49763,False),(50000,50059,True)]))
w16(d+'/network.txt', net())
w16(d+'/endpoint.txt', pjson([ep(LA,"10.244.2.5"), ep(LB_,"10.244.2.6",mac="00-15-5D-00-00-02"), ep(RA,"10.244.1.7",True,mac="02-11-0A-F4-01-07")]))
w16(d+'/policy.txt', pjson([lb("D3000000-0000-4000-8000-000000000001","10.96.0.10",[(17,53,53),(6,53,53)],[LA,RA]),
                            lb("D4000000-0000-4000-8000-000000000002","10.96.0.1",[(6,443,6443)],[LB_])]))
w8(d+'/kubeclusterconfig.json', pjson({"Cri":{"Name":"containerd"},"Kubernetes":{"Network":{"ServiceCidr":"10.96.0.0/12","ClusterCidr":"10.244.0.0/16","DnsIp":"10.96.0.10"}}}))
