import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { URI } from 'langium';
import { NodeFileSystemProvider } from 'langium/node';

/**
 * The file system of the language server (and CLI services): reads only regular files. Langium's
 * workspace scan and file-watcher already skip a new FIFO, socket or device, but a document whose file
 * is replaced by one would be re-read, and reading a FIFO blocks until a writer comes, hanging every
 * later build. Refusing the read makes it a logged failure of that one update instead.
 */
export class RegularFileSystemProvider extends NodeFileSystemProvider {
    override async readFile(uri: URI): Promise<string> {
        await this.assertRegular(uri);
        return super.readFile(uri);
    }

    override async readBinary(uri: URI): Promise<Uint8Array> {
        await this.assertRegular(uri);
        return super.readBinary(uri);
    }

    override readFileSync(uri: URI): string {
        if (!statSync(uri.fsPath).isFile()) throw notRegular(uri);
        return super.readFileSync(uri);
    }

    private async assertRegular(uri: URI): Promise<void> {
        if (!(await stat(uri.fsPath)).isFile()) throw notRegular(uri);
    }
}

function notRegular(uri: URI): Error {
    return new Error(`${uri.fsPath}: not a regular file; sipflow reads only regular .sipflow files`);
}

export const RegularFileSystem = {
    fileSystemProvider: () => new RegularFileSystemProvider(),
};
