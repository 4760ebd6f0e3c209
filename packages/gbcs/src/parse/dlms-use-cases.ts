// The COSEM attributes and methods each DLMS use case's command addresses, by message code (GBCS
// use-case definitions; the lists equal the commands of every RTDS 4.5.0 vector, which a test
// checks). A GBCS ACCESS.response does not echo what was asked, so a response's i-th result is
// named after the i-th entry here.
//
// Each entry: "<service> <class id> <OBIS> <attribute or method id>", service = get | set | action
// | select (get-with-selection); a Data Protection action lists the protected attributes it reads
// in brackets: "[<class id> <OBIS> <attribute id>, ...]".

const TABLE: readonly (readonly [number, readonly string[]])[] = [
  [0x0001, ["action 104 0-0:30.3.0.255 1","set 104 0-0:30.3.0.255 3","set 104 0-0:30.3.0.255 2"]],
  [0x0002, ["action 104 0-0:30.3.0.255 2"]],
  [0x0003, ["action 104 0-0:30.3.0.255 5"]],
  [0x0004, ["get 104 0-0:30.3.0.255 4"]],
  [0x0007, ["action 115 0-0:19.40.0.255 1"]],
  [0x0019, ["set 20 0-0:13.0.0.255 7","set 20 0-0:13.0.0.255 8","set 20 0-0:13.0.0.255 9","set 11 0-1:11.0.0.255 2","set 21 0-0:16.1.11.255 2","set 21 0-0:16.1.12.255 2","set 21 0-0:16.1.13.255 2","set 21 0-0:16.1.14.255 2","set 21 0-0:16.1.15.255 2","set 21 0-0:16.1.16.255 2","set 21 0-0:16.1.17.255 2","set 21 0-0:16.1.18.255 2","set 9000 0-0:94.44.2.0 4","set 113 0-0:19.20.4.255 6","set 113 0-0:19.20.0.255 6","set 20 0-0:13.0.0.255 10","set 9000 0-0:94.44.128.29 6","set 9000 0-0:94.44.2.0 6","set 113 0-0:19.20.4.255 7","set 113 0-0:19.20.0.255 7","set 9000 0-0:63.1.1.255 6"]],
  [0x001A, ["set 111 0-1:19.0.0.255 2","set 111 0-1:19.0.0.255 11","set 111 0-1:19.0.0.255 13"]],
  [0x001B, ["set 111 0-1:19.0.0.255 2","set 9000 0-0:94.44.128.22 4","set 111 0-1:19.0.0.255 11","set 9000 0-0:94.44.128.22 6","set 111 0-1:19.0.0.255 13"]],
  [0x001C, ["action 112 0-0:19.10.0.255 1"]],
  [0x001D, ["action 9 0-0:10.0.100.255 1"]],
  [0x001E, ["set 113 0-0:19.20.1.255 6","set 113 0-0:19.20.2.255 6","set 113 0-0:19.20.3.255 13","set 113 0-0:19.20.1.255 8","set 113 0-0:19.20.2.255 8","action 113 0-0:19.20.1.255 2","action 113 0-0:19.20.2.255 2","action 113 0-0:19.20.3.255 4","action 113 0-0:19.20.1.255 4","action 113 0-0:19.20.2.255 4"]],
  [0x001F, ["set 11 0-1:11.0.2.255 2","set 9000 0-0:94.44.2.20 2","set 9000 0-0:94.44.2.10 4","set 10 0-1:12.0.1.255 2","set 9000 0-0:94.44.128.12 4","set 9000 0-0:94.44.128.13 4","set 9000 0-0:94.44.128.9 4","set 9000 0-0:94.44.128.2 4","set 9000 0-0:94.44.128.31 6","set 9000 0-0:94.44.128.3 4","set 9000 0-0:94.44.2.20 6","set 9000 0-0:94.44.2.10 6","set 9000 0-0:94.44.128.12 6","set 9000 0-0:94.44.128.13 6","set 9000 0-0:94.44.128.9 6","set 9000 0-0:94.44.128.2 6","set 9000 0-0:94.44.128.3 6","set 9000 0-0:94.44.128.28 6"]],
  [0x0020, ["action 112 0-0:19.10.1.255 3"]],
  [0x0021, ["set 1 0-2:96.13.1.255 2"]],
  [0x0022, ["set 1 0-0:94.44.3.2 2"]],
  [0x0023, ["set 1 0-0:94.44.3.1 2"]],
  [0x0024, ["action 7 0-0:99.98.0.255 1"]],
  [0x0025, ["set 9000 0-0:96.13.0.255 2","set 9000 0-0:96.13.1.255 2"]],
  [0x0026, ["get 3 1-0:2.8.0.255 2","get 3 1-0:2.8.0.255 3","get 3 1-0:4.8.0.255 2","get 3 1-0:4.8.0.255 3"]],
  [0x0027, ["action 30 0-0:43.2.8.255 1 [1 0-0:94.44.34.10 2]"]],
  [0x0028, ["get 1 0-0:94.44.34.20 2"]],
  [0x0029, ["action 30 0-0:43.2.9.255 1 [1 0-0:94.44.34.1 2]"]],
  [0x002A, ["action 30 0-0:43.2.10.255 1 [1 0-0:94.44.34.2 2]"]],
  [0x002B, ["get 1 0-0:94.44.5.2 2","get 4 1-0:2.6.0.255 2","get 4 1-0:2.6.0.255 3","get 4 1-0:2.6.0.255 5"]],
  [0x002C, ["get 1 0-0:94.44.5.0 2","get 1 0-0:94.44.5.1 2","get 4 1-0:1.6.0.255 2","get 4 1-0:1.6.0.255 3","get 4 1-0:1.6.0.255 5","get 4 1-0:1.6.1.255 2","get 4 1-0:1.6.1.255 3","get 4 1-0:1.6.1.255 5","get 10 0-0:12.0.0.255 2"]],
  [0x002E, ["select 7 0-0:98.1.4.255 2"]],
  [0x002F, ["action 30 0-0:43.2.3.255 1 [7 0-0:98.1.2.255 2]"]],
  [0x0030, ["action 30 0-0:43.2.2.255 1 [7 0-0:98.1.0.255 2, 7 0-0:98.1.1.255 2]"]],
  [0x0033, ["action 30 0-0:43.2.5.255 1 [7 0-0:98.1.9.255 2]"]],
  [0x0034, ["action 30 0-0:43.2.6.255 1 [7 0-0:98.1.8.255 2]"]],
  [0x0035, ["select 7 0-0:98.1.10.255 2"]],
  [0x0036, ["select 7 0-0:99.1.1.255 2"]],
  [0x0037, ["action 30 0-0:43.2.7.255 1 [7 0-0:99.1.0.255 2]"]],
  [0x0038, ["select 7 0-0:99.1.2.255 2"]],
  [0x0039, ["get 3 1-0:32.32.0.4 2","get 3 1-0:32.32.0.4 3","get 3 1-0:32.36.0.4 2","get 3 1-0:32.36.0.4 3","select 7 1-0:32.24.0.255 2","get 7 1-0:32.24.0.255 4"]],
  [0x003A, ["get 3 0-0:94.44.1.7 2","get 3 0-0:94.44.1.7 3","get 20 0-0:13.0.0.255 3","get 20 0-0:13.0.0.255 4","get 20 0-0:13.0.0.255 5","get 11 0-0:11.0.0.255 2","get 21 0-0:16.0.11.255 2","get 21 0-0:16.0.12.255 2","get 21 0-0:16.0.13.255 2","get 21 0-0:16.0.14.255 2","get 21 0-0:16.0.15.255 2","get 21 0-0:16.0.16.255 2","get 21 0-0:16.0.17.255 2","get 21 0-0:16.0.18.255 2","get 9000 0-0:94.44.2.0 2","get 113 0-0:19.20.4.255 5","get 113 0-0:19.20.0.255 5"]],
  [0x003B, ["get 113 0-0:19.20.1.255 5","get 11 0-0:11.0.2.255 2","get 113 0-0:19.20.1.255 8","get 113 0-0:19.20.1.255 5","get 113 0-0:19.20.2.255 5","get 113 0-0:19.20.2.255 8","get 113 0-0:19.20.2.255 5","get 113 0-0:19.20.3.255 13","get 9000 0-0:94.44.2.10 2","get 21 0-0:16.0.1.255 2","get 9000 0-0:94.44.2.20 2","get 111 0-0:19.0.0.255 16","get 111 0-0:19.0.0.255 18","get 111 0-0:19.0.0.255 19","get 112 0-0:19.10.1.255 9","get 112 0-0:19.10.1.255 10","get 10 0-0:12.0.1.255 2","get 111 0-0:19.0.0.255 11"]],
  [0x003C, ["get 71 0-0:17.0.1.255 4","get 71 0-0:17.0.1.255 6","get 71 0-0:17.0.2.255 4","get 71 0-0:17.0.2.255 6","get 71 0-0:17.0.3.255 4","get 71 0-0:17.0.3.255 6","get 71 0-0:17.0.4.255 4","get 71 0-0:17.0.4.255 6","get 1 1-0:32.35.0.4 2","get 1 1-0:32.31.0.4 2"]],
  [0x003D, ["get 1 0-0:94.44.0.0 2","get 1 0-0:94.44.0.2 2","get 1 0-0:94.44.0.1 2"]],
  [0x003E, ["get 22 0-0:15.0.0.255 4"]],
  [0x0042, ["get 9000 0-0:94.44.0.3 2","get 3 0-0:94.44.42.255 2","get 3 0-0:94.44.42.255 3","get 71 0-0:17.0.0.255 4","get 71 0-0:17.0.0.255 6","get 71 0-0:17.0.0.255 7"]],
  [0x0043, ["set 9000 0-0:94.44.0.3 4","set 9000 0-0:94.44.128.7 4","set 9000 0-0:94.44.128.6 4","set 9000 0-0:94.44.128.8 4","set 9000 0-0:94.44.0.3 6","set 9000 0-0:94.44.128.7 6","set 9000 0-0:94.44.128.6 6","set 9000 0-0:94.44.128.8 6"]],
  [0x0044, ["action 3 0-0:94.44.42.255 1"]],
  [0x0045, ["set 7 1-0:32.24.0.255 4","set 71 0-0:17.0.1.255 4","set 71 0-0:17.0.1.255 6","set 71 0-0:17.0.2.255 4","set 71 0-0:17.0.2.255 6","set 71 0-0:17.0.3.255 4","set 71 0-0:17.0.3.255 6","set 71 0-0:17.0.4.255 4","set 71 0-0:17.0.4.255 6","set 1 1-0:32.35.0.4 2","set 1 1-0:32.31.0.4 2","action 3 1-0:32.32.0.4 1","action 3 1-0:32.36.0.4 1"]],
  [0x0046, ["set 22 0-0:15.0.0.255 4"]],
  [0x0047, ["set 21 0-0:16.0.0.255 2"]],
  [0x0049, ["select 7 0-0:99.98.1.255 2"]],
  [0x004B, ["set 1 0-0:94.44.0.1 2"]],
  [0x004C, ["set 1 0-0:94.44.34.11 2"]],
  [0x004D, ["set 1 1-0:0.0.2.255 2"]],
  [0x004E, ["get 1 0-0:94.44.34.11 2","get 1 1-0:0.0.2.255 2"]],
  [0x004F, ["action 9 0-0:10.0.106.255 1"]],
  [0x0050, ["action 9 0-0:10.0.106.255 1"]],
  [0x0051, ["action 9 0-0:10.0.106.255 1"]],
  [0x0052, ["get 70 0-0:96.3.10.255 3"]],
  [0x0058, ["set 1 0-3:96.13.1.255 2"]],
  [0x0059, ["get 1 0-0:0.2.1.255 2"]],
  [0x005E, ["get 1 0-0:94.44.7.255 2","select 7 0-0:99.98.20.255 2","get 1 0-0:94.44.6.1 2","get 1 0-0:94.44.6.2 2","get 1 0-0:94.44.6.3 2","get 1 0-0:94.44.6.4 2","get 1 0-0:94.44.6.5 2"]],
  [0x005F, ["set 1 0-0:94.44.6.1 2","set 1 0-0:94.44.6.2 2","set 1 0-0:94.44.6.3 2","set 1 0-0:94.44.6.4 2","set 1 0-0:94.44.6.5 2"]],
  [0x0060, ["action 30 0-0:43.2.4.255 1 [7 0-0:99.1.3.255 2]"]],
  [0x0062, ["set 8 0-0:1.0.0.255 9","action 8 0-0:1.0.0.255 5","action 8 0-0:1.0.0.255 4","get 8 0-0:1.0.0.255 2","get 8 0-0:1.0.0.255 4"]],
  [0x0068, ["set 1 0-0:94.44.0.4 2"]],
  [0x0069, ["get 112 0-0:19.10.0.255 2"]],
  [0x0092, ["get 1 0-0:96.1.1.255 2","get 1 0-0:96.1.4.255 2","get 1 0-0:96.1.6.255 2"]],
  [0x0093, ["select 7 0-0:99.98.0.255 2"]],
  [0x0094, ["select 7 0-0:99.98.1.255 2"]],
  [0x00A2, ["set 113 0-0:19.20.4.255 6","set 113 0-0:19.20.0.255 6","set 113 0-0:19.20.4.255 7","set 113 0-0:19.20.0.255 7"]],
  [0x00AC, ["set 1 0-30:97.98.11.255 2"]],
  [0x00AE, ["set 7 1-0:32.24.0.255 4","set 7 1-0:52.24.0.255 4","set 7 1-0:72.24.0.255 4","set 71 0-0:17.0.1.255 4","set 71 0-0:17.0.1.255 6","set 71 0-0:17.0.2.255 4","set 71 0-0:17.0.2.255 6","set 71 0-0:17.0.3.255 4","set 71 0-0:17.0.3.255 6","set 71 0-0:17.0.4.255 4","set 71 0-0:17.0.4.255 6","set 1 1-0:32.35.0.4 2","set 1 1-0:32.31.0.4 2","set 1 1-0:52.31.0.4 2","set 1 1-0:52.35.0.4 2","set 1 1-0:72.31.0.4 2","set 1 1-0:72.35.0.4 2","action 3 1-0:32.32.0.4 1","action 3 1-0:32.36.0.4 1","action 3 1-0:52.32.0.4 1","action 3 1-0:52.36.0.4 1","action 3 1-0:72.32.0.4 1","action 3 1-0:72.36.0.4 1"]],
  [0x00B0, ["set 1 0-33:97.98.11.255 2"]],
  [0x00B3, ["action 112 0-0:19.10.0.255 2","action 112 0-0:19.10.1.255 2","action 112 0-0:19.10.2.255 2"]],
  [0x00B7, ["set 113 0-0:19.20.5.255 6","set 20 0-0:13.0.1.255 7","set 20 0-0:13.0.1.255 8","set 20 0-0:13.0.1.255 9","set 11 0-1:11.0.1.255 2","set 20 0-0:13.0.1.255 10","set 113 0-0:19.20.5.255 7","set 9000 0-0:94.44.128.30 6"]],
  [0x00B9, ["select 7 0-0:99.98.4.255 2"]],
  [0x00BA, ["select 7 0-17:99.98.2.255 2"]],
  [0x00BB, ["get 1 0-0:94.44.0.11 2","get 1 0-0:94.44.0.12 2","get 1 0-0:94.44.0.13 2","get 1 0-0:94.44.0.14 2","get 1 0-0:94.44.0.15 2","get 1 0-0:94.44.0.21 2","get 1 0-0:94.44.0.22 2","get 1 0-0:94.44.0.23 2","get 1 0-0:94.44.0.24 2","get 1 0-0:94.44.0.25 2","get 11 0-0:11.0.3.255 2","get 10 0-0:12.0.2.255 2","get 70 0-1:96.3.10.255 2","get 70 0-2:96.3.10.255 2","get 70 0-3:96.3.10.255 2","get 70 0-4:96.3.10.255 2","get 70 0-5:96.3.10.255 2"]],
  [0x00BC, ["get 3 1-0:32.32.0.4 2","get 3 1-0:32.32.0.4 3","get 3 1-0:32.36.0.4 2","get 3 1-0:32.36.0.4 3","select 7 1-0:32.24.0.255 2","get 7 1-0:32.24.0.255 4","get 3 1-0:52.32.0.4 2","get 3 1-0:52.32.0.4 3","get 3 1-0:52.36.0.4 2","get 3 1-0:52.36.0.4 3","select 7 1-0:52.24.0.255 2","get 7 1-0:52.24.0.255 4","get 3 1-0:72.32.0.4 2","get 3 1-0:72.32.0.4 3","get 3 1-0:72.36.0.4 2","get 3 1-0:72.36.0.4 3","select 7 1-0:72.24.0.255 2","get 7 1-0:72.24.0.255 4"]],
  [0x00BE, ["get 111 0-0:19.0.0.255 2"]],
  [0x00C1, ["action 7 0-17:99.98.2.255 1"]],
  [0x00C6, ["get 71 0-0:17.0.1.255 4","get 71 0-0:17.0.1.255 6","get 71 0-0:17.0.2.255 4","get 71 0-0:17.0.2.255 6","get 71 0-0:17.0.3.255 4","get 71 0-0:17.0.3.255 6","get 71 0-0:17.0.4.255 4","get 71 0-0:17.0.4.255 6","get 1 1-0:32.35.0.4 2","get 1 1-0:32.31.0.4 2","get 1 1-0:52.31.0.4 2","get 1 1-0:52.35.0.4 2","get 1 1-0:72.31.0.4 2","get 1 1-0:72.35.0.4 2"]],
  [0x00C7, ["set 113 0-0:19.20.5.255 6","set 113 0-0:19.20.5.255 7"]],
  [0x00C9, ["select 7 0-0:98.1.5.255 2"]],
  [0x00D1, ["set 1 1-0:32.31.0.4 2","set 1 1-0:32.35.0.4 2","set 7 1-0:32.24.0.255 4","set 71 0-0:17.0.1.255 4","set 71 0-0:17.0.1.255 6","set 71 0-0:17.0.2.255 4","set 71 0-0:17.0.2.255 6","set 71 0-0:17.0.3.255 4","set 71 0-0:17.0.3.255 6","set 71 0-0:17.0.4.255 4","set 71 0-0:17.0.4.255 6"]],
  [0x00D2, ["set 1 1-0:32.31.0.4 2","set 1 1-0:32.35.0.4 2","set 1 1-0:52.31.0.4 2","set 1 1-0:52.35.0.4 2","set 1 1-0:72.31.0.4 2","set 1 1-0:72.35.0.4 2","set 7 1-0:32.24.0.255 4","set 7 1-0:52.24.0.255 4","set 7 1-0:72.24.0.255 4","set 71 0-0:17.0.1.255 4","set 71 0-0:17.0.1.255 6","set 71 0-0:17.0.2.255 4","set 71 0-0:17.0.2.255 6","set 71 0-0:17.0.3.255 4","set 71 0-0:17.0.3.255 6","set 71 0-0:17.0.4.255 4","set 71 0-0:17.0.4.255 6"]],
  [0x00D3, ["action 3 1-0:32.32.0.4 1","action 3 1-0:32.36.0.4 1"]],
  [0x00D4, ["action 3 1-0:32.32.0.4 1","action 3 1-0:32.36.0.4 1","action 3 1-0:52.32.0.4 1","action 3 1-0:52.36.0.4 1","action 3 1-0:72.32.0.4 1","action 3 1-0:72.36.0.4 1"]],
  [0x00D7, ["set 22 0-0:15.0.0.255 4"]],
  [0x00D9, ["get 22 0-0:15.0.0.255 4"]],
  [0x00DB, ["set 22 0-0:15.1.0.255 4"]],
  [0x00DE, ["set 11 0-1:11.0.2.255 2","set 9000 0-0:94.44.2.20 4","set 9000 0-0:94.44.2.10 4","set 10 0-1:12.0.1.255 2","set 9000 0-0:94.44.128.12 4","set 9000 0-0:94.44.128.13 4","set 9000 0-0:94.44.128.9 4","set 9000 0-0:94.44.128.2 4","set 9000 0-0:94.44.128.31 6","set 9000 0-0:94.44.128.3 4","set 9000 0-0:94.44.2.20 6","set 9000 0-0:94.44.2.10 6","set 9000 0-0:94.44.128.12 6","set 9000 0-0:94.44.128.13 6","set 9000 0-0:94.44.128.9 6","set 9000 0-0:94.44.128.2 6","set 9000 0-0:94.44.128.3 6","set 9000 0-0:94.44.128.28 6"]],
  [0x00EB, ["set 1 0-30:97.98.13.255 2"]],
  [0x00EC, ["set 1 0-30:97.98.14.255 2"]],
  [0x00ED, ["set 1 0-33:97.98.14.255 2"]],
  [0x00EE, ["get 1 0-30:97.98.15.255 2","get 1 0-30:97.98.16.255 2","get 1 0-30:97.98.17.255 2","get 1 0-30:97.98.18.255 2"]],
  [0x00EF, ["get 1 0-33:97.98.15.255 2","get 1 0-33:97.98.18.255 2"]],
  [0x00F9, ["get 1 0-0:96.1.2.255 2","get 1 0-0:96.1.4.255 2","get 1 0-0:96.1.6.255 2","get 1 0-0:94.44.0.4 2"]],
  [0x00FA, ["get 1 0-0:96.1.4.255 2","get 1 0-0:96.1.6.255 2"]],
  [0x00FD, ["select 7 0-17:99.98.2.255 2"]],
  [0x00FE, ["action 104 0-0:30.3.0.255 4","action 104 0-0:30.3.1.255 4"]],
  [0x010A, ["get 1 0-0:94.44.10.2 2"]],
  [0x010B, ["select 7 0-0:94.44.10.3 2"]],
  [0x010C, ["get 1 0-0:94.44.10.0 2"]],
  [0x010D, ["set 1 0-0:94.44.10.0 2"]],
  [0x010F, ["get 104 0-0:30.3.0.255 4"]],
  [0x011A, ["set 11 0-1:11.0.3.255 2","set 10 0-1:12.0.2.255 2","set 9000 0-0:94.44.128.26 6","set 9000 0-0:94.44.128.35 6"]],
  [0x011C, ["get 1 0-0:94.44.0.11 2","get 1 0-0:94.44.0.12 2","get 1 0-0:94.44.0.13 2","get 1 0-0:94.44.0.14 2","get 1 0-0:94.44.0.15 2","get 11 0-0:11.0.3.255 2","get 10 0-0:12.0.2.255 2"]],
  [0x011D, ["get 1 0-0:94.44.0.21 2","get 1 0-0:94.44.0.22 2","get 1 0-0:94.44.0.23 2","get 1 0-0:94.44.0.24 2","get 1 0-0:94.44.0.25 2","get 1 0-0:94.44.0.31 2","get 1 0-0:94.44.0.32 2","get 1 0-0:94.44.0.33 2","get 1 0-0:94.44.0.34 2","get 1 0-0:94.44.0.35 2"]],
  // Not among the RTDS commands; inferred from its siblings: ECS35b/c/d read their logs by date
  // range the same way, and ECS15a clears the ESME event log at this OBIS code.
  [0x0048, ["select 7 0-0:99.98.0.255 2"]],
];

/**
 * Codes whose command layout varies with the request: every layout their encoder can write
 * (packages/gbcs/src/transform/use-cases, esme-more-load.ts and esme-more-config.ts). A response
 * is named after the layouts with its number of results and services: a result the candidates
 * agree on fully is named fully, one they agree on only in class and attribute is named without
 * its object, anything else stays unnamed, never misnamed.
 */
const SWITCHES = [1, 2, 3, 4, 5] as const;
const subsets = <T>(items: readonly T[]): T[][] => items.reduce<T[][]>((all, item) => [...all, ...all.map((set) => [...set, item])], [[]]);
/** Per switch n, 0-0:94.44.(116 + n).x holds its activation/deactivation durations or times (x = 1-4). */
const auxObject = (n: number, x: number): string => `0-0:94.44.${116 + n}.${x}`;

const VARIABLE: readonly (readonly [number, readonly (readonly string[])[]])[] = [
  // ECS46a: a label (visible string) for each switch the request names.
  [0x0053, subsets(SWITCHES).filter((set) => set.length > 0).map((set) => set.map((n) => `set 1 0-0:94.44.0.${10 + n} 2`))],
  // ECS46c: an identity for each switch named, then special days, schedule and both activation times.
  [0x0054, subsets(SWITCHES).map((set) => [
    ...set.map((n) => `set 1 0-0:94.44.0.${20 + n} 2`),
    "set 11 0-1:11.0.3.255 2", "set 10 0-1:12.0.2.255 2", "set 9000 0-0:94.44.128.26 6", "set 9000 0-0:94.44.128.35 6",
  ])],
  // ECS47: activate (duration x = 1) or deactivate (x = 2) switch n, or reset it (the script alone).
  [0x0055, [
    ...SWITCHES.flatMap((n) => [1, 2].map((x) => [`set 1 ${auxObject(n, x)} 2`, "action 9 0-0:10.0.103.255 1"])),
    ["action 9 0-0:10.0.103.255 1"],
  ]],
  // ECS57: the reset method of each maximum demand register named.
  [0x005a, subsets(["1-0:1.6.0.255", "1-0:1.6.1.255", "1-0:2.6.0.255"]).filter((set) => set.length > 0).map((set) => set.map((obis) => `action 4 ${obis} 1`))],
  // ECS47a / ECS47e: controller n's start and end times, then its script table.
  [0x011e, SWITCHES.map((n) => [`set 1 ${auxObject(n, 1)} 2`, `set 1 ${auxObject(n, 2)} 2`, "action 9 0-0:10.0.103.255 1"])],
  [0x011f, SWITCHES.map((n) => [`set 1 ${auxObject(n, 3)} 2`, `set 1 ${auxObject(n, 4)} 2`, "action 9 0-0:10.0.107.255 1"])],
];

/**
 * Protected answers whose command no RTDS vector or encoder gives (so the attribute read is not
 * known), named by the values they carry. ECS19 (Read ESME Prepayment Registers, SRV 4.3) answers
 * one structure of six double-longs, in the order the gas meter's answer to the same SRV lists the
 * same six registers (GCS14, transform/use-cases/gas-reads.ts).
 */
const PROTECTED_VALUES: ReadonlyMap<number, readonly string[]> = new Map([
  [0x002d, ["accumulatedDebt", "emergencyCreditBalance", "meterBalance", "paymentDebt", "timeDebt1", "timeDebt2"]],
]);

/** The names of the values in a protected answer of this message code, when only they are known. */
export function protectedValueNames(messageCode: number): readonly string[] | undefined {
  return PROTECTED_VALUES.get(messageCode);
}

export interface UseCaseSpec {
  readonly service: "get" | "set" | "action" | "getWithSelection";
  readonly classId: number;
  readonly obis: string;
  readonly id: number;
  /** For Data Protection get_protected_attributes: the attributes in the encrypted answer. */
  readonly protectedAttributes?: readonly { readonly classId: number; readonly obis: string; readonly id: number }[];
}

const SERVICES = { get: "get", set: "set", action: "action", select: "getWithSelection" } as const;

function parseEntry(text: string): UseCaseSpec {
  const [head = "", bracket] = text.split(" [");
  const [service = "", classId = "", obis = "", id = ""] = head.split(" ");
  const spec = { service: SERVICES[service as keyof typeof SERVICES], classId: Number(classId), obis, id: Number(id) };
  if (bracket === undefined) return spec;
  const protectedAttributes = bracket.replace("]", "").split(", ").map((item) => {
    const [c = "", o = "", a = ""] = item.split(" ");
    return { classId: Number(c), obis: o, id: Number(a) };
  });
  return { ...spec, protectedAttributes };
}

const BY_CODE = new Map(TABLE.map(([code, specs]) => [code, specs.map(parseEntry)]));
const VARIABLE_BY_CODE = new Map(VARIABLE.map(([code, layouts]) => [code, layouts.map((specs) => specs.map(parseEntry))]));

/** What the command of this message code asks for, when its layout is fixed. */
export function useCaseSpecs(messageCode: number): readonly UseCaseSpec[] | undefined {
  return BY_CODE.get(messageCode);
}

/** Every layout the command of this message code can have, when it varies with the request. */
export function useCaseLayouts(messageCode: number): readonly (readonly UseCaseSpec[])[] | undefined {
  return VARIABLE_BY_CODE.get(messageCode);
}
