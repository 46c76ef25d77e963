import { UriUtils, type FileSystemNode, type FileSystemProvider, type URI } from 'langium';
import { fs, stat } from '../../node-fs.js';

/**
 * The file system of the language server (and CLI services): reads only regular files. Langium's
 * workspace scan and file-watcher already skip a new FIFO, socket or device, but a document whose file
 * is replaced by one would be re-read, and reading a FIFO blocks until a writer comes, hanging every
 * later build. Refusing the read makes it a logged failure of that one update instead.
 * Otherwise Langium's NodeFileSystemProvider, written out: its module imports node:fs as an ES module,
 * which costs every CLI start fs/promises and readline (see src/node-fs.ts).
 */
export class RegularFileSystemProvider implements FileSystemProvider {
    async stat(uri: URI): Promise<FileSystemNode> {
        return nodeOf(uri, await stat(uri.fsPath));
    }

    statSync(uri: URI): FileSystemNode {
        return nodeOf(uri, fs.statSync(uri.fsPath));
    }

    exists(uri: URI): Promise<boolean> {
        return new Promise(resolve => fs.stat(uri.fsPath, error => resolve(!error)));
    }

    existsSync(uri: URI): boolean {
        return fs.existsSync(uri.fsPath);
    }

    async readBinary(uri: URI): Promise<Uint8Array> {
        await this.assertRegular(uri);
        return fs.promises.readFile(uri.fsPath);
    }

    readBinarySync(uri: URI): Uint8Array {
        if (!fs.statSync(uri.fsPath).isFile()) throw notRegular(uri);
        return fs.readFileSync(uri.fsPath);
    }

    async readFile(uri: URI): Promise<string> {
        await this.assertRegular(uri);
        return fs.promises.readFile(uri.fsPath, 'utf-8');
    }

    readFileSync(uri: URI): string {
        if (!fs.statSync(uri.fsPath).isFile()) throw notRegular(uri);
        return fs.readFileSync(uri.fsPath, 'utf-8');
    }

    async readDirectory(uri: URI): Promise<FileSystemNode[]> {
        const entries = await fs.promises.readdir(uri.fsPath, { withFileTypes: true });
        return entries.map(entry => nodeOf(UriUtils.joinPath(uri, entry.name), entry));
    }

    readDirectorySync(uri: URI): FileSystemNode[] {
        return fs.readdirSync(uri.fsPath, { withFileTypes: true }).map(entry => nodeOf(UriUtils.joinPath(uri, entry.name), entry));
    }

    private async assertRegular(uri: URI): Promise<void> {
        if (!(await stat(uri.fsPath)).isFile()) throw notRegular(uri);
    }
}

/** What Langium needs of a file: its kind (from Stats or a directory entry) and where it is. */
function nodeOf(uri: URI, stats: { isFile(): boolean; isDirectory(): boolean }): FileSystemNode {
    return { isFile: stats.isFile(), isDirectory: stats.isDirectory(), uri };
}

function notRegular(uri: URI): Error {
    return new Error(`${uri.fsPath}: not a regular file; sipflow reads only regular .sipflow files`);
}

export const RegularFileSystem = {
    fileSystemProvider: () => new RegularFileSystemProvider(),
};
