"""Cross-check a TensorBoard event file with Google's protobuf runtime and an independent CRC-32C.

Usage: python3 scripts/check_tfevents.py runs/<run>/events.out.tfevents.*  (needs python3-protobuf; no TensorFlow).
Every record's two masked CRCs are recomputed bit by bit, every payload is parsed as tensorflow.Event and
must re-serialise to the identical bytes (canonical encoding).
"""
import struct, sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

fdp = descriptor_pb2.FileDescriptorProto(name="event_subset.proto", package="tensorflow", syntax="proto3")
F = descriptor_pb2.FieldDescriptorProto
summary = fdp.message_type.add(name="Summary")
value = summary.nested_type.add(name="Value")
value.field.add(name="node_name", number=7, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
value.field.add(name="tag", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
value.field.add(name="simple_value", number=2, type=F.TYPE_FLOAT, label=F.LABEL_OPTIONAL, oneof_index=0)
value.oneof_decl.add(name="value")
summary.field.add(name="value", number=1, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED, type_name=".tensorflow.Summary.Value")
event = fdp.message_type.add(name="Event")
event.field.add(name="wall_time", number=1, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
event.field.add(name="step", number=2, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
event.field.add(name="file_version", number=3, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, oneof_index=0)
event.field.add(name="summary", number=5, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL, oneof_index=0, type_name=".tensorflow.Summary")
event.oneof_decl.add(name="what")
pool = descriptor_pool.DescriptorPool()
pool.Add(fdp)
Event = message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tensorflow.Event"))

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF

def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    pos = 0
    while pos < len(raw):
        (length,) = struct.unpack_from("<Q", raw, pos)
        assert struct.unpack_from("<I", raw, pos + 8)[0] == masked(raw[pos:pos + 8]), f"length crc at {pos}"
        payload = raw[pos + 12:pos + 12 + length]
        assert struct.unpack_from("<I", raw, pos + 12 + length)[0] == masked(payload), f"payload crc at {pos}"
        e = Event()
        e.ParseFromString(payload)
        assert e.SerializeToString() == payload, f"re-serialisation differs at {pos}"
        kind = e.WhichOneof("what")
        detail = e.file_version if kind == "file_version" else [(v.tag, v.simple_value) for v in e.summary.value]
        print(f"{pos:5d} wall={e.wall_time:.6f} step={e.step} {kind} {detail}")
        pos += 16 + length
    print(f"OK: {path}: all records verified")
